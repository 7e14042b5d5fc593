import type { RunRecord } from "../model/run-record";

/** One stack going from a failed run to its next successful one. */
export interface Recovery {
  readonly env: string;
  readonly stack: string;
  readonly failedAt: string;
  readonly recoveredAt: string;
  readonly seconds: number;
}

/**
 * Time to recover: from the first failure in a streak of failures of a stack to the end of its
 * next successful run of the same operation. Stacks still failing have no entry. Pure.
 */
export function recoveries(runs: readonly RunRecord[]): Recovery[] {
  const failingSince = new Map<string, string>();
  const found: Recovery[] = [];
  for (const run of runs) {
    for (const result of run.stacks) {
      const key = `${run.env}\u0000${result.stack.name}\u0000${result.operation}`;
      const at = result.startedAt ?? run.startedAt;
      if (result.outcome.status === "failed") {
        if (!failingSince.has(key)) failingSince.set(key, at);
      } else if (result.outcome.status === "succeeded" || result.outcome.status === "unchanged") {
        const since = failingSince.get(key);
        if (since === undefined) continue;
        failingSince.delete(key);
        const recoveredAt = new Date(Date.parse(at) + result.durationMs).toISOString();
        found.push({ env: run.env, stack: result.stack.name, failedAt: since, recoveredAt, seconds: (Date.parse(recoveredAt) - Date.parse(since)) / 1000 });
      }
    }
  }
  return found;
}
