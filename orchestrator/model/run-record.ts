import type { ChangeCounts } from "./changes";
import type { Operation, StackId, StateMarker } from "./stack";

/** Where one stack is during a run. */
export type StackState = "pending" | "running" | "succeeded" | "failed" | "skipped" | "unchanged";

/** Why a stack did not run. */
export type SkipReason =
  | { readonly kind: "dependency-failed"; readonly dependency: string; /** Why it failed, where that is known before it runs (its state does not parse). */ readonly because?: string }
  | { readonly kind: "cancelled" };

export type StackOutcome =
  | { readonly status: "succeeded"; readonly changes: ChangeCounts }
  | { readonly status: "unchanged"; readonly fingerprint: string }
  | { readonly status: "failed"; readonly error: string; /** The engine's transcript (command line included), for history. */ readonly detail?: string }
  | { readonly status: "skipped"; readonly reason: SkipReason };

export interface StackRunResult {
  readonly stack: StackId;
  readonly operation: Operation;
  readonly outcome: StackOutcome;
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly attempts: number;
  /** Fingerprint of program, config and upstream outputs at this run (up only). */
  readonly fingerprint?: string;
  /** Digest of the stack's outputs after this up, for its dependents' fingerprints; never the values. */
  readonly outputsDigest?: string;
  /** The backend's marker of the state this up left (see StateMarker). */
  readonly stateMarker?: StateMarker;
  /** Messages about recovered locks or pending operations, retries, and the like. */
  readonly notes: readonly string[];
}

export type RunStatus = "succeeded" | "failed" | "cancelled";

/**
 * Written before a run touches anything, so a run that is killed still leaves a trace: a start
 * with no record of the same id is a run that never finished.
 */
export interface RunStart {
  readonly kind: "start";
  readonly id: string;
  readonly env: string;
  readonly operation: Operation;
  readonly stacks: readonly string[];
  readonly startedAt: string;
  readonly user: string;
  readonly host: string;
  readonly pid: number;
}

/** One orchestrator invocation, as the history store keeps it. Never holds a secret value. */
export interface RunRecord {
  readonly id: string;
  readonly env: string;
  readonly operation: Operation;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly user: string;
  readonly host: string;
  readonly status: RunStatus;
  readonly stacks: readonly StackRunResult[];
  /** Why the run stopped before its stacks could run, when it did. */
  readonly error?: string;
  /** Set on the runs a promotion makes (apply, rollback). */
  readonly promotion?: PromotionRef;
  /** Set when the run went ahead outside its change windows (`--break-glass --reason`). */
  readonly breakGlass?: BreakGlass;
}

/** Who overrode a change window, why, and which window it was. */
export interface BreakGlass {
  readonly reason: string;
  readonly by: string;
  readonly window: string;
}

export interface PromotionRef {
  readonly id: string;
  readonly source: string;
  readonly phase: "apply" | "rollback";
  readonly approver?: string;
}
