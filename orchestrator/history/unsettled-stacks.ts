import type { RunRecord, RunStart, StackOutcome } from "../model/run-record";
import type { Operation } from "../model/stack";

/** How the run that last touched a stack ended, when it did not end well. */
export type UnsettledCause = "killed" | "cancelled" | "failed" | "timed out";

/** A stack whose state may not match the cluster: the last run that touched it ended other than by success. */
export interface UnsettledStack {
  readonly cause: UnsettledCause;
  readonly runId: string;
  readonly operation: Operation;
  readonly startedAt: string;
  /** For people: `cancelled run <id> (destroy by <user>@<host>, started <time>: <error>)`. */
  readonly reason: string;
}

// The engine's words when a resource operation ran out of time (a custom timeout, a context deadline).
const TIMED_OUT = /timed out|deadline exceeded/i;

// A preview changes no state: however it ends, the state is as it was.
const changesState = (operation: Operation) => operation !== "preview";

function unsettled(cause: UnsettledCause, run: { id: string; operation: Operation; startedAt: string; user: string; host: string }, error?: string): UnsettledStack {
  const what = cause === "timed out" ? `timed out in run ${run.id}` : `${cause} run ${run.id}`;
  const firstLine = error?.split("\n")[0]!.slice(0, 160);
  return {
    cause,
    runId: run.id,
    operation: run.operation,
    startedAt: run.startedAt,
    reason: `${what} (${run.operation} by ${run.user}@${run.host}, started ${run.startedAt}${firstLine ? `: ${firstLine}` : ""})`,
  };
}

function causeOf(record: RunRecord, outcome: StackOutcome & { status: "failed" }): UnsettledCause {
  if (record.status === "cancelled") return "cancelled";
  return TIMED_OUT.test(outcome.error) ? "timed out" : "failed";
}

type Event = { readonly at: string; readonly start: RunStart } | { readonly at: string; readonly record: RunRecord };

/**
 * Stacks whose last touch by a state-changing run ended other than by success: the run was killed
 * (a start with no record), cancelled, failed, or an operation timed out. Such a stack's state may
 * hold objects the cluster no longer has (or lack ones it has): the next run refreshes it before
 * acting. A later succeeded (or unchanged) up, destroy or refresh of the stack settles it; a stack a
 * run skipped or never reached is not touched by it. Pure.
 */
export function unsettledStacks(starts: readonly RunStart[], records: readonly RunRecord[]): Map<string, UnsettledStack> {
  const finished = new Set(records.map((record) => record.id));
  const events: Event[] = [
    ...starts.filter((start) => !finished.has(start.id)).map((start) => ({ at: start.startedAt, start })),
    ...records.map((record) => ({ at: record.startedAt, record })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const stacks = new Map<string, UnsettledStack>();
  for (const event of events) {
    if ("start" in event) {
      for (const stack of event.start.stacks) stacks.set(stack, unsettled("killed", event.start));
      continue;
    }
    const record = event.record;
    for (const result of record.stacks) {
      if (!changesState(result.operation)) continue;
      const { outcome } = result;
      if (outcome.status === "succeeded" || outcome.status === "unchanged") stacks.delete(result.stack.name);
      else if (outcome.status === "failed") stacks.set(result.stack.name, unsettled(causeOf(record, outcome), record, outcome.error));
    }
  }
  return stacks;
}
