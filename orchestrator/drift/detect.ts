import pLimit from "p-limit";
import type { ResourceChange, StackEngine, StackId } from "../engine";

export interface StackDrift {
  readonly stack: string;
  /** Reality differs from recorded state (someone changed the cluster or cloud). */
  readonly drift: readonly ResourceChange[];
  /** The program or config differs from recorded state (an up is pending). */
  readonly pending: readonly ResourceChange[];
  /** How pending changes were found: a program preview, or the fingerprint proving there are none. */
  readonly pendingFrom?: "preview" | "fingerprint";
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

/**
 * For every stack, in parallel: a refresh preview (reality against state) and a program preview
 * (code and config against state), unless `codeUnchanged` proves the latter empty. Neither changes anything.
 */
export async function detectDrift(
  engine: StackEngine,
  env: string,
  stacks: readonly StackId[],
  concurrency: number,
  signal?: AbortSignal,
  codeUnchanged: (stack: StackId) => Promise<boolean> = async () => false,
): Promise<DriftReport> {
  const limit = pLimit(Math.max(1, concurrency));
  const checkedAt = new Date().toISOString();
  const results = await Promise.all(
    stacks.map((stack) =>
      limit(async (): Promise<StackDrift> => {
        const started = Date.now();
        try {
          if (!(await engine.exists(stack))) return { stack: stack.name, drift: [], pending: [], error: "stack is not deployed", durationMs: 0 };
          // A stack an up would skip has nothing pending: its program preview is not run.
          const unchanged = await codeUnchanged(stack);
          const [drift, pending] = await Promise.all([engine.diff("refresh", stack, { signal }), unchanged ? [] : engine.diff("preview", stack, { signal })]);
          return { stack: stack.name, drift, pending, pendingFrom: unchanged ? "fingerprint" : "preview", durationMs: Date.now() - started };
        } catch (error) {
          return { stack: stack.name, drift: [], pending: [], error: (error as Error).message, durationMs: Date.now() - started };
        }
      }),
    ),
  );
  return { env, checkedAt, stacks: results };
}
