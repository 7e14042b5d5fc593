import type { ChangeCounts } from "./changes";
import type { RunRecord, RunStart, RunStatus, StackState } from "./run-record";

/** What a run reports about one stack at one moment. */
export interface StackProgress {
  readonly stack: string;
  readonly state: StackState;
  readonly elapsedMs: number;
  readonly resourcesDone: number;
  readonly changes?: ChangeCounts;
  readonly detail?: string;
}

/** One stack's end as the progress journal keeps it: the result and its one-line reason, never the engine's transcript. */
export interface JournaledResult {
  readonly stack: string;
  readonly status: StackState;
  readonly durationMs: number;
  readonly reason?: string;
}

/**
 * One line of a run's progress journal, appended as the run goes. A journal with no `end`
 * belongs to a run still going, or to one that was killed.
 */
export type ProgressEvent =
  | { readonly kind: "start"; readonly at: string; readonly run: RunStart }
  | { readonly kind: "stack"; readonly at: string; readonly progress: StackProgress }
  | { readonly kind: "note"; readonly at: string; readonly line: string }
  | { readonly kind: "end"; readonly at: string; readonly status: RunStatus; readonly durationMs: number; readonly stacks: readonly JournaledResult[]; readonly error?: string };

/** The journal's last line for a finished run, from its history record. Pure. */
export function endEvent(record: RunRecord): ProgressEvent {
  return {
    kind: "end",
    at: record.finishedAt,
    status: record.status,
    durationMs: record.durationMs,
    stacks: record.stacks.map((s) => ({
      stack: s.stack.name,
      status: s.outcome.status,
      durationMs: s.durationMs,
      ...(resultReason(s.outcome) ? { reason: resultReason(s.outcome)! } : {}),
    })),
    ...(record.error ? { error: record.error.split("\n")[0]! } : {}),
  };
}

function resultReason(outcome: RunRecord["stacks"][number]["outcome"]): string | undefined {
  if (outcome.status === "failed") return outcome.error.split("\n")[0];
  if (outcome.status !== "skipped") return undefined;
  if (outcome.reason.kind === "cancelled") return "cancelled";
  return `dependency ${outcome.reason.dependency} failed${outcome.reason.because ? `: ${outcome.reason.because}` : ""}`;
}
