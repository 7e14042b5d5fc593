import type { EnvironmentLocks } from "../backend/stores";
import type { LockHolders } from "../history/unfinished-runs";
import type { LockHolder } from "../locks/environment-lock";
import type { RunRecord, RunStart } from "../model/run-record";

/** The lock holder of each environment that has a run without a record: what tells a running run from a killed one. */
export async function lockHoldersOf(locks: Pick<EnvironmentLocks, "holder">, starts: readonly RunStart[], records: readonly RunRecord[]): Promise<LockHolders> {
  const finished = new Set(records.map((record) => record.id));
  const envs = [...new Set(starts.filter((start) => !finished.has(start.id)).map((start) => start.env))];
  const holders: Record<string, LockHolder> = {};
  for (const env of envs) {
    const holder = await locks.holder(env);
    if (holder) holders[env] = holder;
  }
  return holders;
}
