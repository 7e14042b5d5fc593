import { operateFleet, type FleetEnvironment, type FleetRunOptions } from "../../fleet/fleet";
import type { Operation } from "../../model/stack";
import type { Workspace } from "../../workspace/workspace";
import { afterRun } from "../output/aftermath";
import { EXIT, exitCodeOfRun } from "../output/exit-codes";
import { fleetDocument, memberReporter, renderFleetSummary } from "../output/fleet-output";

/** up / preview / refresh / destroy over a fleet, then the per-member summary (or --json document) and the exit code. */
export async function runFleetOperation(
  workspace: Workspace,
  operation: Operation,
  fleet: FleetEnvironment,
  options: FleetRunOptions,
  json: boolean,
  signal: AbortSignal,
): Promise<void> {
  const result = await operateFleet(workspace, operation, fleet, options, (member) => memberReporter(member, { json }), signal);
  if (json) process.stdout.write(`${JSON.stringify(fleetDocument(fleet.name, result), null, 2)}\n`);
  else process.stdout.write(`${renderFleetSummary(fleet.name, result)}\n`);
  for (const run of result.members) await afterRun(workspace, run.result?.record);
  // A member stopped by a lock, bad input or a gate exits as that error would for one environment.
  const stopped = result.members.find((run) => run.error !== undefined);
  if (stopped) throw stopped.error;
  const failed = result.members.find((run) => run.outcome === "failed");
  if (!failed?.result) {
    process.exitCode = signal.aborted ? EXIT.interrupted : EXIT.ok;
    return;
  }
  process.exitCode = exitCodeOfRun(failed.result.record);
}
