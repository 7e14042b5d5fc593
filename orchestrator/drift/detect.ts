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

export interface DriftShortcuts {
  /** True when an up would skip the stack: its program preview can only be empty. */
  readonly codeUnchanged?: (stack: StackId) => Promise<boolean>;
  /** True when the live objects prove a refresh preview of the stack empty. */
  readonly realityUnchanged?: (stack: StackId) => Promise<boolean>;
}

/**
 * For every stack, in parallel: a refresh preview (reality against state) and a program preview
 * (code and config against state), each unless a shortcut proves it empty. Neither changes anything.
 */
export async function detectDrift(
  engine: StackEngine,
  env: string,
  stacks: readonly StackId[],
  concurrency: number,
  signal?: AbortSignal,
  shortcuts: DriftShortcuts = {},
): Promise<DriftReport> {
  const limit = pLimit(Math.max(1, concurrency));
  const checkedAt = new Date().toISOString();
  const results = await Promise.all(
    stacks.map((stack) =>
      limit(async (): Promise<StackDrift> => {
        const started = Date.now();
        try {
          if (!(await engine.exists(stack))) return { stack: stack.name, drift: [], pending: [], error: "stack is not deployed", durationMs: 0 };
          const [codeSame, realitySame] = await Promise.all([proves(shortcuts.codeUnchanged, stack), proves(shortcuts.realityUnchanged, stack)]);
          const [drift, pending] = await Promise.all([
            realitySame ? [] : engine.diff("refresh", stack, { signal }),
            codeSame ? [] : engine.diff("preview", stack, { signal }),
          ]);
          return {
            stack: stack.name,
            drift,
            pending,
            pendingFrom: codeSame ? "fingerprint" : "preview",
            driftFrom: realitySame ? "live-objects" : "refresh",
            durationMs: Date.now() - started,
          };
        } catch (error) {
          return { stack: stack.name, drift: [], pending: [], error: (error as Error).message, durationMs: Date.now() - started };
        }
      }),
    ),
  );
  return { env, checkedAt, stacks: results };
}

/** A shortcut that fails proves nothing: the engine is asked instead. */
async function proves(shortcut: ((stack: StackId) => Promise<boolean>) | undefined, stack: StackId): Promise<boolean> {
  return shortcut ? shortcut(stack).catch(() => false) : false;
}
