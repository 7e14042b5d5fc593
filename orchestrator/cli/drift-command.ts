import * as fs from "node:fs";
import { driftRun } from "../drift/drift";
import { verdict, type DriftReport } from "../model/drift-report";
import { renderDriftMarkdown, renderDriftTable } from "../drift/render";
import type { Workspace } from "../workspace/workspace";
import { afterDrift } from "./aftermath";
import { EXIT, exitCodeOfRun } from "./exit-codes";
import { terminalReporter } from "./reporter";

export interface DriftOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  readonly json?: boolean;
  readonly markdown?: string;
  readonly refreshAll?: boolean;
  readonly remediate?: "refresh" | "up";
}

/** Detects drift, reports it three ways, optionally remediates the drifted stacks; returns the exit code. */
export async function driftCommand(workspace: Workspace, options: DriftOptions, signal?: AbortSignal): Promise<number> {
  const reporter = terminalReporter({ json: Boolean(options.json), summaries: true });
  const { check, remediation } = await driftRun(workspace, options, reporter, signal, (checked) => publish(checked.report, options, (line) => reporter.say(line)));
  if (remediation) reporter.say(renderDriftTable(remediation.after));
  await afterDrift(workspace, check.report, remediation?.after);
  const exitCode = !remediation ? exitFor(check.report) : exitCodeOfRun(remediation.record) !== EXIT.ok ? exitCodeOfRun(remediation.record) : exitFor(remediation.after);
  if (options.json) {
    const document = { verdict: verdict(remediation?.after ?? check.report), report: check.report, remediation: remediation?.record, after: remediation?.after };
    process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
  return exitCode;
}

/** Objects inside a release are Helm's to restore: its current revision is applied again. */

function publish(report: DriftReport, options: DriftOptions, say: (line: string) => void): void {
  if (!options.json) say(renderDriftTable(report));
  const markdown = renderDriftMarkdown(report);
  if (options.markdown) fs.writeFileSync(options.markdown, `${markdown}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

function exitFor(report: DriftReport): number {
  const result = verdict(report);
  return result === "clean" ? EXIT.ok : result === "drift" ? EXIT.drift : EXIT.failed;
}
