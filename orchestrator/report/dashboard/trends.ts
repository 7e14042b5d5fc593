import type { PromotionEntry } from "../../history/journal";
import { historyStats, percentile, type FailureCount } from "../../history/stats";
import type { RunRecord } from "../../model/run-record";

const DAY = 24 * 3600 * 1000;

export interface StackDurations {
  readonly stack: string;
  readonly runs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
}

/** The DORA four over a window, with the durations per stack and the most frequent failures. */
export interface Trends {
  readonly windowDays: number;
  /** Successful ups per day. */
  readonly deploymentsPerDay: number;
  /** Median from a release deployed in the stage before to the promotion that deployed it here; undefined without promotions. */
  readonly leadTimeMs?: number;
  /** Failed ups among ups that ended. */
  readonly changeFailureRate?: number;
  /** Median from a failed up to the next successful up of the same environment. */
  readonly timeToRestoreMs?: number;
  readonly stacks: readonly StackDurations[];
  readonly topFailures: readonly FailureCount[];
}

/** Trends of the runs (oldest first) and promotions within `windowDays` before `now`. Pure. */
export function trends(records: readonly RunRecord[], promotions: readonly PromotionEntry[], now: Date, windowDays = 30): Trends {
  const since = now.getTime() - windowDays * DAY;
  const runs = records.filter((r) => Date.parse(r.startedAt) >= since);
  const ups = runs.filter((r) => r.operation === "up" && r.status !== "cancelled");
  const failed = ups.filter((r) => r.status === "failed").length;
  const restore = timesToRestore(ups);
  const lead = leadTimes(records, promotions.filter((p) => Date.parse(p.startedAt) >= since && p.result === "promoted"));
  return {
    windowDays,
    deploymentsPerDay: ups.filter((r) => r.status === "succeeded").length / windowDays,
    ...(lead.length > 0 ? { leadTimeMs: percentile(lead, 50) } : {}),
    ...(ups.length > 0 ? { changeFailureRate: failed / ups.length } : {}),
    ...(restore.length > 0 ? { timeToRestoreMs: percentile(restore, 50) } : {}),
    stacks: stackDurations(runs),
    topFailures: historyStats(runs).topFailures,
  };
}

function stackDurations(runs: readonly RunRecord[]): StackDurations[] {
  const durations = new Map<string, number[]>();
  for (const result of runs.flatMap((r) => r.stacks)) {
    if (result.outcome.status !== "succeeded" && result.outcome.status !== "failed") continue;
    durations.set(result.stack.name, [...(durations.get(result.stack.name) ?? []), result.durationMs]);
  }
  return [...durations]
    .map(([stack, ms]) => ({ stack, runs: ms.length, medianMs: percentile(ms, 50), p95Ms: percentile(ms, 95) }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
}

function timesToRestore(ups: readonly RunRecord[]): number[] {
  const brokenSince = new Map<string, number>();
  const times: number[] = [];
  for (const run of ups) {
    const at = Date.parse(run.finishedAt);
    if (run.status === "failed") {
      if (!brokenSince.has(run.env)) brokenSince.set(run.env, at);
    } else if (brokenSince.has(run.env)) {
      times.push(at - brokenSince.get(run.env)!);
      brokenSince.delete(run.env);
    }
  }
  return times;
}

/** For each promotion, from the source's last successful up before it to the end of the target's apply run. */
function leadTimes(records: readonly RunRecord[], promotions: readonly PromotionEntry[]): number[] {
  return promotions.flatMap((p) => {
    const deployedInSource = [...records].reverse().find((r) => r.env === p.source && r.operation === "up" && r.status === "succeeded" && r.finishedAt <= p.startedAt);
    const applied = records.find((r) => r.promotion?.id === p.id && r.promotion.phase === "apply" && r.status === "succeeded");
    return deployedInSource && applied ? [Date.parse(applied.finishedAt) - Date.parse(deployedInSource.finishedAt)] : [];
  });
}
