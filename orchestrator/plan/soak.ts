import type { RunRecord } from "../model/run-record";

/** How long an environment has run its current release healthy, against what its gates ask. */
export interface SoakState {
  readonly requiredMs: number;
  /** When the release now running was applied without a failure after it; undefined when a run on it failed since, or it never ran. */
  readonly healthySince?: string;
  readonly remainingMs: number;
  readonly satisfied: boolean;
  readonly reason: string;
}

/**
 * The soak of `stacks`: the clock starts when the last up that changed one of them succeeded, and
 * a failed up, refresh or destroy on any of them since stops it until the next good apply. Pure.
 */
export function soakState(records: readonly RunRecord[], stacks: readonly string[], requiredMs: number, now: Date): SoakState {
  const wanted = new Set(stacks);
  let healthySince: string | undefined;
  let failed: string | undefined;
  for (const record of [...records].sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))) {
    for (const result of record.stacks) {
      if (!wanted.has(result.stack.name) || result.operation === "preview") continue;
      const outcome = result.outcome;
      if (outcome.status === "failed") {
        [failed, healthySince] = [`${result.stack.name} ${result.operation} failed at ${record.finishedAt}`, undefined];
      } else if (outcome.status === "succeeded" && result.operation === "up") {
        const changed = Object.entries(outcome.changes).some(([kind, count]) => kind !== "same" && count > 0);
        if (changed || !healthySince) [healthySince, failed] = [record.finishedAt, undefined];
      }
    }
  }
  if (requiredMs === 0) return { requiredMs, ...(healthySince ? { healthySince } : {}), remainingMs: 0, satisfied: true, reason: "no soak required" };
  if (!healthySince) {
    const why = failed ? `not healthy: ${failed}` : "no successful up recorded";
    return { requiredMs, remainingMs: requiredMs, satisfied: false, reason: `${why}; the soak starts after the next successful up` };
  }
  const remainingMs = Math.max(0, requiredMs - (now.getTime() - Date.parse(healthySince)));
  return {
    requiredMs,
    healthySince,
    remainingMs,
    satisfied: remainingMs === 0,
    reason: remainingMs === 0 ? `healthy since ${healthySince}, longer than the ${requiredMs / 1000}s soak` : `healthy since ${healthySince}; ${Math.ceil(remainingMs / 1000)}s of the ${requiredMs / 1000}s soak left`,
  };
}
