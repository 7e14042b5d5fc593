import type { StackProgress } from "../model/progress-event";
import type { RunRecord } from "../model/run-record";

export type { StackProgress };

/** The live view of one run's stacks, open while they run. */
export interface ProgressView {
  update(progress: StackProgress): void;
  note(line: string): void;
  close(): void;
}

/**
 * Where a use case sends what a person watching should see. The orchestrator says what
 * happened; the CLI decides how it looks (a live table, CI lines, stderr under --json).
 */
export interface RunReporter {
  /** A line about the command as a whole: capacity, a recovered lock, a gate, the plan's size. */
  say(line: string): void;
  /** Opened when a run's stacks are about to start, closed when they have ended. */
  openProgress(): ProgressView;
  /** A run ended and was recorded. */
  finished(record: RunRecord): void;
}

/** Shows nothing: for callers that only want the result. */
export const SILENT_REPORTER: RunReporter = {
  say() {},
  openProgress: () => ({ update() {}, note() {}, close() {} }),
  finished() {},
};
