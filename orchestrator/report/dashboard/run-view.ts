import type { JournalRead } from "../../history/progress-journal";
import { runIsLive } from "../../history/unfinished-runs";
import type { LockHolder } from "../../locks/environment-lock";
import type { ChangeCounts } from "../../model/changes";
import type { ProgressEvent } from "../../model/progress-event";
import type { RunStart, StackState } from "../../model/run-record";
import { criticalPath, makeGraph } from "../../plan/graph";

export type RunState = "running" | "succeeded" | "failed" | "cancelled" | "interrupted";
export type StackViewState = StackState | "queued" | "interrupted";

export interface StackView {
  readonly stack: string;
  readonly state: StackViewState;
  /** Milliseconds from the run's start to the stack's first event as running. */
  readonly startMs?: number;
  readonly elapsedMs: number;
  readonly resourcesDone: number;
  readonly changes?: ChangeCounts;
  /** The running stack's current step, or why it failed or was skipped. */
  readonly detail?: string;
  readonly critical: boolean;
}

/** One run as the dashboard shows it, folded from its journal. */
export interface RunView {
  readonly id: string;
  readonly env: string;
  readonly operation: string;
  readonly user: string;
  readonly host: string;
  readonly startedAt: string;
  readonly state: RunState;
  readonly durationMs: number;
  readonly stacks: readonly StackView[];
  readonly notes: readonly string[];
  readonly criticalPath: readonly string[];
  readonly error?: string;
  /** Journal lines that did not parse. */
  readonly skippedLines: number;
}

const FINISHED: ReadonlySet<string> = new Set(["succeeded", "failed", "skipped", "unchanged"]);

/**
 * Folds a run's journal into what the page shows. A journal without its end belongs to a live run
 * only while the run's process holds the environment lock; otherwise the run was cut short. Pure.
 */
export function runView(journal: JournalRead, holder: LockHolder | undefined, needs: (stack: string) => readonly string[], now: Date): RunView | undefined {
  const first = journal.events[0];
  if (!first || first.kind !== "start") return undefined;
  const run: RunStart = first.run;
  const origin = Date.parse(run.startedAt);
  const stacks = new Map<string, { -readonly [K in keyof StackView]: StackView[K] }>(
    run.stacks.map((stack) => [stack, { stack, state: "queued", elapsedMs: 0, resourcesDone: 0, critical: false }]),
  );
  const notes: string[] = [];
  let end: Extract<ProgressEvent, { kind: "end" }> | undefined;
  for (const event of journal.events.slice(1)) {
    if (event.kind === "note") notes.push(event.line);
    else if (event.kind === "end") end = event;
    else if (event.kind === "stack") {
      const p = event.progress;
      const view = stacks.get(p.stack) ?? { stack: p.stack, state: "queued", elapsedMs: 0, resourcesDone: 0, critical: false };
      if (view.startMs === undefined && p.state === "running") view.startMs = Math.max(0, Date.parse(event.at) - p.elapsedMs - origin);
      Object.assign(view, { state: p.state, elapsedMs: p.elapsedMs, resourcesDone: p.resourcesDone }, p.changes ? { changes: p.changes } : {}, p.detail ? { detail: p.detail } : {});
      stacks.set(p.stack, view);
    }
  }
  for (const result of end?.stacks ?? []) {
    const view = stacks.get(result.stack);
    if (view) Object.assign(view, { state: result.status, elapsedMs: result.durationMs }, result.reason ? { detail: result.reason } : {});
  }
  const live = !end && runIsLive(run, holder);
  const state: RunState = end ? end.status : live ? "running" : "interrupted";
  if (state === "interrupted") for (const view of stacks.values()) if (!FINISHED.has(view.state)) view.state = "interrupted";
  const ran = [...stacks.values()].filter((s) => s.startMs !== undefined);
  const names = new Set(ran.map((s) => s.stack));
  const path = criticalPath(makeGraph(new Map(ran.map((s) => [s.stack, needs(s.stack).filter((n) => names.has(n))]))), (name) => stacks.get(name)?.elapsedMs ?? 0).path;
  for (const name of path) stacks.get(name)!.critical = true;
  const lastAt = journal.events.at(-1)!.at;
  return {
    id: run.id,
    env: run.env,
    operation: run.operation,
    user: run.user,
    host: run.host,
    startedAt: run.startedAt,
    state,
    durationMs: end ? end.durationMs : Math.max(0, (live ? now.getTime() : Date.parse(lastAt)) - origin),
    stacks: [...stacks.values()],
    notes: notes.slice(-20),
    criticalPath: path,
    ...(end?.error ? { error: end.error } : {}),
    skippedLines: journal.skipped,
  };
}
