import { stackName, type LayerName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import { driftFindings, driftRun, renderDriftTable } from "../drift/drift";
import type { GateResult } from "../model/promotion-report";
import { verdict } from "../model/drift-report";
import type { RunRecord } from "../model/run-record";
import type { RunReporter } from "../run/progress";
import { environmentStatus, type StackStatus } from "../status/status";
import type { Workspace } from "../workspace/workspace";
import { sourceGates } from "./gates";

/**
 * The source gates, each answered by the code of the command a person runs to ask the same:
 * `npm run status` (deployed, runs still going or killed), the run history (last results) and
 * `npm run drift` (engine previews and the objects inside Helm releases, under the source's lock).
 */
export async function checkSource(
  workspace: Workspace,
  source: EnvironmentSpec,
  layers: readonly LayerName[],
  options: { readonly parallel: number; readonly reporter: RunReporter; readonly signal?: AbortSignal },
): Promise<GateResult[]> {
  const names = new Set(layers.map((layer) => stackName(layer, source.name)));
  const status = (await environmentStatus(workspace, source.name)).stacks.filter((s) => names.has(s.stack));
  const lastStatus = lastStatuses(await workspace.history.read({ env: source.name }));
  const facts = status.map((s) => ({ stack: s.stack, deployed: s.deployed, lastStatus: lastStatus.get(s.stack), ...unfinished(s) }));
  const { check } = await driftRun(workspace, { env: source.name, layers, parallel: options.parallel }, options.reporter, options.signal);
  if (verdict(check.report) !== "clean") options.reporter.say(renderDriftTable(check.report));
  const errors = check.report.stacks.flatMap((s) => (s.error ? [`${s.stack}: ${s.error.split("\n")[0]}`] : []));
  return sourceGates(source.name, facts, { verdict: verdict(check.report), findings: driftFindings(check.report), errors });
}

function unfinished(status: StackStatus): { unfinished?: string } {
  if (status.running) return { unfinished: `${status.running.operation} running by ${status.running.by} since ${status.running.startedAt}` };
  if (status.interrupted) return { unfinished: `${status.interrupted.operation} by ${status.interrupted.by} started ${status.interrupted.startedAt} and never finished` };
  return {};
}

function lastStatuses(records: readonly RunRecord[]): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const record of records) {
    for (const result of record.stacks) {
      if (result.operation === "preview" || result.outcome.status === "skipped") continue;
      statuses.set(result.stack.name, `${result.operation} ${result.outcome.status}`);
    }
  }
  return statuses;
}
