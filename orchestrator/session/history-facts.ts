import type { EnvironmentSpec } from "../../environments/model";
import { lastUps, type LastUp } from "../history/stats";
import { unsettledStacks, type UnsettledStack } from "../history/unsettled-stacks";
import type { RunRecord } from "../model/run-record";
import type { StackId } from "../model/stack";
import { fingerprintSources, type FingerprintSources } from "../run/fingerprint-inputs";
import type { UnchangedFacts } from "../run/skip-unchanged";
import type { Workspace } from "../workspace/workspace";

/** What an environment's history says before a run acts: read once per session. */
export interface HistoryFacts {
  readonly records: readonly RunRecord[];
  /** What each stack's last successful up left. */
  readonly lastUps: ReadonlyMap<string, LastUp>;
  /** Stacks the last run that touched them left killed, cancelled, failed or timed out: refreshed before they run. */
  readonly unsettled: ReadonlyMap<string, UnsettledStack>;
  /** What decides each stack's result in this checkout, for fingerprints. */
  readonly fingerprints: FingerprintSources;
}

export async function readHistoryFacts(workspace: Workspace, env: EnvironmentSpec): Promise<HistoryFacts> {
  const records = await workspace.history.read({ env: env.name });
  return {
    records,
    lastUps: lastUps(records),
    unsettled: unsettledStacks(await workspace.history.starts({ env: env.name }), records),
    fingerprints: fingerprintSources(workspace.root, env),
  };
}

/** What decides whether an up would skip a stack, without running it: for drift and `graph --changed`. */
export async function unchangedFacts(workspace: Workspace, facts: HistoryFacts): Promise<UnchangedFacts> {
  return {
    ...facts.fingerprints,
    lastUps: facts.lastUps,
    markers: await workspace.records.stateMarkers(),
    interrupted: new Set(facts.unsettled.keys()),
    locked: (stack: StackId) => workspace.records.stackLocked(stack),
  };
}
