import type { Operation, StateMarker } from "../model/stack";
import type { RunRecord, RunStart } from "../model/run-record";

export interface StackStats {
  readonly stack: string;
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly successRate: number;
  readonly meanMs: number;
  readonly p95Ms: number;
  readonly lastStatus: string;
  readonly lastRunAt: string;
}

export interface FailureCount {
  readonly error: string;
  readonly count: number;
  readonly stacks: readonly string[];
}

export interface HistoryStats {
  readonly runs: number;
  readonly successRate: number;
  readonly meanRunMs: number;
  readonly p95RunMs: number;
  readonly stacks: readonly StackStats[];
  readonly topFailures: readonly FailureCount[];
}

/** Nearest-rank percentile of unsorted values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const mean = (values: readonly number[]) => (values.length === 0 ? 0 : Math.round(values.reduce((a, b) => a + b, 0) / values.length));

/** Success rate, mean and p95 durations per stack for stacks that really ran, and the most frequent failures. Pure. */
export function historyStats(records: readonly RunRecord[], operation?: Operation): HistoryStats {
  const runs = operation ? records.filter((r) => r.operation === operation) : records;
  const perStack = new Map<string, { durations: number[]; succeeded: number; failed: number; last: { status: string; at: string } }>();
  const failures = new Map<string, { count: number; stacks: Set<string> }>();
  for (const run of runs) {
    for (const result of run.stacks) {
      const status = result.outcome.status;
      if (status === "skipped" || status === "unchanged") continue;
      const entry = perStack.get(result.stack.name) ?? { durations: [], succeeded: 0, failed: 0, last: { status, at: run.startedAt } };
      entry.durations.push(result.durationMs);
      if (status === "succeeded") entry.succeeded += 1;
      else entry.failed += 1;
      entry.last = { status: `${result.operation} ${status}`, at: run.startedAt };
      perStack.set(result.stack.name, entry);
      if (result.outcome.status === "failed") {
        const key = result.outcome.error.split("\n")[0]!.slice(0, 160);
        const failure = failures.get(key) ?? { count: 0, stacks: new Set<string>() };
        failure.count += 1;
        failure.stacks.add(result.stack.name);
        failures.set(key, failure);
      }
    }
  }
  const stacks = [...perStack.entries()]
    .map(([stack, e]) => ({
      stack,
      runs: e.durations.length,
      succeeded: e.succeeded,
      failed: e.failed,
      successRate: e.durations.length === 0 ? 0 : e.succeeded / e.durations.length,
      meanMs: mean(e.durations),
      p95Ms: percentile(e.durations, 95),
      lastStatus: e.last.status,
      lastRunAt: e.last.at,
    }))
    .sort((a, b) => a.stack.localeCompare(b.stack));
  const topFailures = [...failures.entries()]
    .map(([error, f]) => ({ error, count: f.count, stacks: [...f.stacks].sort() }))
    .sort((a, b) => b.count - a.count)
    .slice(0, 5);
  const durations = runs.map((r) => r.durationMs);
  return {
    runs: runs.length,
    successRate: runs.length === 0 ? 0 : runs.filter((r) => r.status === "succeeded").length / runs.length,
    meanRunMs: mean(durations),
    p95RunMs: percentile(durations, 95),
    stacks,
    topFailures,
  };
}

/** What a stack's most recent successful up left: what a later up compares against to skip it. */
export interface LastUp {
  readonly fingerprint: string;
  readonly outputsDigest?: string;
  readonly stateMarker?: StateMarker;
}

/** Each stack's last successful up, unless a later destroy or failed up voids it. Pure. */
export function lastUps(records: readonly RunRecord[]): Map<string, LastUp> {
  const last = new Map<string, LastUp>();
  for (const run of records) {
    for (const result of run.stacks) {
      if (result.operation === "destroy" && result.outcome.status === "succeeded") last.delete(result.stack.name);
      if (result.operation === "up" && (result.outcome.status === "succeeded" || result.outcome.status === "unchanged") && result.fingerprint) {
        last.set(result.stack.name, {
          fingerprint: result.fingerprint,
          ...(result.outputsDigest ? { outputsDigest: result.outputsDigest } : {}),
          ...(result.stateMarker ? { stateMarker: result.stateMarker } : {}),
        });
      }
      // A failed up may have changed some resources: never skip after it.
      if (result.operation === "up" && result.outcome.status === "failed") last.delete(result.stack.name);
    }
  }
  return last;
}

/** Each stack's fingerprint from its most recent successful up, unless a later destroy removed it. Pure. */
export function lastUpFingerprints(records: readonly RunRecord[]): Map<string, string> {
  return new Map([...lastUps(records)].map(([stack, up]) => [stack, up.fingerprint]));
}

/**
 * Stacks a run started on and never finished (it was killed), unless a later run brought them
 * back to a known state. Such a stack's state may hold half an operation: it is never skipped. Pure.
 */
export function interruptedStacks(starts: readonly RunStart[], records: readonly RunRecord[]): Map<string, RunStart> {
  const finished = new Set(records.map((record) => record.id));
  const interrupted = new Map<string, RunStart>();
  for (const start of starts) {
    if (finished.has(start.id)) continue;
    for (const stack of start.stacks) interrupted.set(stack, start);
  }
  for (const record of records) {
    for (const result of record.stacks) {
      const since = interrupted.get(result.stack.name);
      const settled = result.outcome.status === "succeeded" || result.outcome.status === "unchanged";
      if (since && settled && record.startedAt > since.startedAt && (result.operation === "up" || result.operation === "destroy")) interrupted.delete(result.stack.name);
    }
  }
  return interrupted;
}
