import type { FleetRunResult, MemberRun } from "../../fleet/fleet";
import type { RunReporter } from "../../run/progress";
import { operationDocument } from "./operation-output";
import { progressDisplay } from "./progress";
import { renderRunSummary } from "./report";

/**
 * Members of a ring run at once, so their progress is one line per change (never a live table),
 * and every line a member says starts with its name.
 */
export function memberReporter(member: string, options: { json: boolean }): RunReporter {
  const out = options.json ? process.stderr : process.stdout;
  const say = (line: string) => out.write(`[${member}] ${line}\n`);
  return {
    say,
    openProgress: () => progressDisplay(process.stdout, { json: options.json, ci: true }),
    finished: (record) => {
      if (!options.json) say(renderRunSummary(record).split("\n").join(`\n[${member}] `));
    },
  };
}

function memberState(run: MemberRun): string {
  if (run.error !== undefined) return `failed: ${run.error instanceof Error ? run.error.message.split("\n")[0] : String(run.error)}`;
  return run.result?.record.status ?? run.outcome;
}

/** One line per ring and per member: what ran, what failed, and which rings did not start and why. */
export function renderFleetSummary(fleet: string, result: FleetRunResult): string {
  const lines = [`fleet ${fleet}: ${result.plan.operation}, ${result.plan.rings.length} ring(s)`];
  for (const ring of result.rings) {
    const step = result.plan.rings.find((candidate) => candidate.ring === ring.ring)!;
    const state = ring.state === "not-started" ? `not started (${ring.reason})` : ring.state;
    lines.push(`  ring ${ring.ring}: ${state}`);
    for (const member of step.members) {
      const run = result.members.find((candidate) => candidate.member === member);
      lines.push(`    ${member}: ${run ? memberState(run) : "not run"}`);
    }
  }
  return lines.join("\n");
}

export function fleetDocument(fleet: string, result: FleetRunResult): Record<string, unknown> {
  return {
    fleet,
    operation: result.plan.operation,
    rings: result.rings,
    members: result.members.map((run) => ({
      member: run.member,
      ring: run.ring,
      outcome: run.outcome,
      ...(run.result ? { run: operationDocument(run.result) } : {}),
      ...(run.error !== undefined ? { error: run.error instanceof Error ? run.error.message : String(run.error) } : {}),
    })),
  };
}
