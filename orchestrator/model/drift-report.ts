import type { ResourceChange } from "./changes";

export interface StackDrift {
  readonly stack: string;
  /** Reality differs from recorded state (someone changed the cluster or cloud). */
  readonly drift: readonly ResourceChange[];
  /** The program or config differs from recorded state (an up is pending). */
  readonly pending: readonly ResourceChange[];
  /** How pending changes were found: a program preview, or the fingerprint proving there are none. */
  readonly pendingFrom?: "preview" | "fingerprint";
  /** How reality was compared: a refresh preview, or the live objects proving it unchanged. */
  readonly driftFrom?: "refresh" | "live-objects";
  readonly error?: string;
  readonly durationMs: number;
}

export interface DriftReport {
  readonly env: string;
  readonly checkedAt: string;
  readonly stacks: readonly StackDrift[];
}

export type DriftVerdict = "clean" | "drift" | "error";

/** error beats drift beats clean: an unchecked stack cannot be called clean. Pure. */
export function verdict(report: DriftReport): DriftVerdict {
  if (report.stacks.some((s) => s.error)) return "error";
  return report.stacks.some((s) => s.drift.length > 0 || s.pending.length > 0) ? "drift" : "clean";
}

export function driftedStacks(report: DriftReport): string[] {
  return report.stacks.filter((s) => s.drift.length > 0 || s.pending.length > 0).map((s) => s.stack);
}
