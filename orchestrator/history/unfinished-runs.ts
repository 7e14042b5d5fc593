import type { LockHolder } from "../locks/environment-lock";
import type { RunRecord, RunStart } from "../model/run-record";
import { interruptedStacks } from "./stats";

/** Each environment's lock holder, by environment name, as read with its liveness. */
export type LockHolders = Readonly<Record<string, LockHolder>>;

/** A run that has a start and no record: still running, or killed. */
export interface UnfinishedRun {
  readonly start: RunStart;
  readonly state: "running" | "interrupted";
}

/**
 * Whether the run of `start` still goes on: its environment's lock is held, alive, by the same
 * process on the same host since before the run started (a later run with a reused pid is not it). Pure.
 */
export function runIsLive(start: RunStart, holder: LockHolder | undefined): boolean {
  return holder !== undefined && holder.alive && holder.host === start.host && holder.pid === start.pid && holder.startedAt <= start.startedAt;
}

const classify = (start: RunStart, holders: LockHolders): UnfinishedRun => ({ start, state: runIsLive(start, holders[start.env]) ? "running" : "interrupted" });

/** Every run without a record, oldest first, running or interrupted. Pure. */
export function unfinishedRuns(starts: readonly RunStart[], records: readonly RunRecord[], holders: LockHolders): UnfinishedRun[] {
  const finished = new Set(records.map((record) => record.id));
  return starts.filter((start) => !finished.has(start.id)).map((start) => classify(start, holders));
}

/** The stacks of unfinished runs that no later run has settled (see interruptedStacks), running or interrupted. Pure. */
export function unfinishedStacks(starts: readonly RunStart[], records: readonly RunRecord[], holders: LockHolders): Map<string, UnfinishedRun> {
  return new Map([...interruptedStacks(starts, records)].map(([stack, start]) => [stack, classify(start, holders)]));
}

/** Who runs it, for people: `user@host (pid n)`. */
export const runnerOf = (start: RunStart) => `${start.user}@${start.host} (pid ${start.pid})`;
