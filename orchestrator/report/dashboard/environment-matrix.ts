import type { DriftEntry, PromotionEntry } from "../../history/journal";
import type { LockHolder } from "../../locks/environment-lock";
import type { RunView, StackViewState } from "./run-view";

export type DriftCell = { readonly state: "clean" | "pending" | "error" | "unknown" } | { readonly state: "drift"; readonly firstSeen: string; readonly resources: readonly string[] };

/** One environment × layer cell. */
export interface MatrixCell {
  readonly stack: string;
  readonly last?: { readonly runId: string; readonly operation: string; readonly result: StackViewState; readonly at: string; readonly durationMs: number };
  /** Chart versions of the last promotion that changed the stack. */
  readonly release?: Readonly<Record<string, string>>;
  readonly drift: DriftCell;
}

export interface MatrixRow {
  readonly env: string;
  readonly cells: readonly MatrixCell[];
  readonly lock?: { readonly holder: string; readonly operation: string; readonly since: string; readonly alive: boolean };
}

export interface MatrixInputs {
  readonly env: string;
  /** The environment's stacks, in layer order. */
  readonly stacks: readonly string[];
  /** Its recent runs, newest first. */
  readonly runs: readonly RunView[];
  readonly drift: readonly DriftEntry[];
  readonly promotions: readonly PromotionEntry[];
  readonly holder?: LockHolder;
}

/** One environment's row: each stack's last operation, release and drift since first seen. Pure. */
export function matrixRow(inputs: MatrixInputs): MatrixRow {
  const checks = inputs.drift.filter((d) => d.env === inputs.env).sort((a, b) => a.checkedAt.localeCompare(b.checkedAt));
  const promotions = inputs.promotions.filter((p) => p.target === inputs.env && p.result === "promoted").sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return {
    env: inputs.env,
    cells: inputs.stacks.map((stack) => {
      const last = lastOperation(inputs.runs, stack);
      const release = promotions.find((p) => p.stacks.some((s) => s.stack === stack))?.stacks.find((s) => s.stack === stack)?.charts;
      return { stack, ...(last ? { last } : {}), ...(release ? { release } : {}), drift: driftOf(checks, stack) };
    }),
    ...(inputs.holder ? { lock: { holder: `${inputs.holder.user}@${inputs.holder.host} (pid ${inputs.holder.pid})`, operation: inputs.holder.operation, since: inputs.holder.startedAt, alive: inputs.holder.alive } } : {}),
  };
}

function lastOperation(runs: readonly RunView[], stack: string): MatrixCell["last"] {
  for (const run of runs) {
    const view = run.stacks.find((s) => s.stack === stack && s.state !== "queued");
    if (view) return { runId: run.id, operation: run.operation, result: view.state, at: new Date(Date.parse(run.startedAt) + (view.startMs ?? 0)).toISOString(), durationMs: view.elapsedMs };
  }
  return undefined;
}

/** The latest check's state; for drift, since the first check of the unbroken run of drifted checks. Pure. */
export function driftOf(checksOldestFirst: readonly DriftEntry[], stack: string): DriftCell {
  let firstSeen: string | undefined;
  let latest: DriftEntry["stacks"][number] | undefined;
  for (const check of checksOldestFirst) {
    const entry = check.stacks.find((s) => s.stack === stack);
    if (!entry) continue;
    latest = entry;
    if (entry.state !== "drift") firstSeen = undefined;
    else firstSeen ??= check.checkedAt;
  }
  if (!latest) return { state: "unknown" };
  return latest.state === "drift" ? { state: "drift", firstSeen: firstSeen!, resources: latest.drifted } : { state: latest.state };
}
