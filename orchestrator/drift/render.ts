import type { PropertyChange, ResourceChange } from "../model/changes";
import { verdict, type DriftReport } from "../model/drift-report";

const MAX_VALUE = 80;

/** A value for a report line: JSON, shortened; secrets arrive from the engine already as [secret]. */
export function showValue(value: unknown): string {
  if (value === undefined) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function property(change: PropertyChange): string {
  return `${change.path}: ${showValue(change.old)} -> ${showValue(change.new)}`;
}

function resourceLines(changes: readonly ResourceChange[], indent: string): string[] {
  return changes.flatMap((change) => [
    `${indent}${change.op.padEnd(8)} ${change.type} ${change.name}`,
    ...change.properties.map((p) => `${indent}    ${property(p)}`),
  ]);
}

/**
 * One line per drifted or pending property (per resource when no property is named), prefixed
 * with its stack, in the words of the drift table: for a gate's reason or a one-line summary. Pure.
 */
export function driftFindings(report: DriftReport): string[] {
  return report.stacks.flatMap((stack) =>
    [...stack.drift, ...stack.pending].flatMap((change) => {
      const resource = `${stack.stack}: ${change.op} ${change.type} ${change.name}`;
      return change.properties.length === 0 ? [resource] : change.properties.map((p) => `${resource} ${property(p)}`);
    }),
  );
}

export function renderDriftTable(report: DriftReport): string {
  const lines = [`drift in ${report.env} (${report.checkedAt}): ${verdict(report)}`];
  for (const stack of report.stacks) {
    const state = stack.error ? `error: ${stack.error.split("\n")[0]}` : stack.drift.length + stack.pending.length === 0 ? "clean" : "";
    lines.push(`  ${stack.stack}${state ? `  ${state}` : ""}`);
    if (stack.drift.length > 0) lines.push("    reality differs from state:", ...resourceLines(stack.drift, "      "));
    if (stack.pending.length > 0) lines.push("    code/config differs from state:", ...resourceLines(stack.pending, "      "));
  }
  return lines.join("\n");
}

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** For a CI job summary. */
export function renderDriftMarkdown(report: DriftReport): string {
  const lines = [`## Drift report: \`${report.env}\` — ${verdict(report)}`, "", `Checked ${report.checkedAt}.`, "", "| Stack | Source | Resource | Operation | Property | In state | Reality or code |", "|---|---|---|---|---|---|---|"];
  for (const stack of report.stacks) {
    if (stack.error) lines.push(`| ${stack.stack} | error | | | ${cell(stack.error.split("\n")[0]!)} | | |`);
    else if (stack.drift.length + stack.pending.length === 0) lines.push(`| ${stack.stack} | clean | | | | | |`);
    for (const [source, changes] of [["reality", stack.drift], ["code", stack.pending]] as const) {
      for (const change of changes) {
        const rows = change.properties.length > 0 ? change.properties : [{ path: "", kind: change.op }];
        for (const p of rows) {
          lines.push(`| ${stack.stack} | ${source} | \`${cell(change.type)}\` ${cell(change.name)} | ${change.op} | ${cell(p.path)} | ${cell(showValue(p.old))} | ${cell(showValue(p.new))} |`);
        }
      }
    }
  }
  return lines.join("\n");
}
