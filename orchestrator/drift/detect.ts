import pLimit from "p-limit";
import type { ResourceChange } from "../model/changes";
import type { StackEngine } from "../engine/stack-engine";
import type { StackId } from "../model/stack";
import type { BackendRecords } from "../engine/backend-records";
import type { DriftReport, StackDrift } from "../model/drift-report";

export interface DriftShortcuts {
  /** True when an up would skip the stack: its program preview can only be empty. */
  readonly codeUnchanged?: (stack: StackId) => Promise<boolean>;
  /** True when the live objects prove a refresh preview of the stack empty. */
  readonly realityUnchanged?: (stack: StackId) => Promise<boolean>;
  /** Stacks whose state does not parse, with why: reported as errors without an engine call. */
  readonly unreadable?: ReadonlyMap<string, string>;
}

/**
 * For every stack, in parallel: a refresh preview (reality against state) and a program preview
 * (code and config against state), each unless a shortcut proves it empty. Neither changes anything.
 */
export async function detectDrift(
  { engine, records }: { readonly engine: Pick<StackEngine, "diff">; readonly records: Pick<BackendRecords, "exists"> },
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
        const unreadable = shortcuts.unreadable?.get(stack.name);
        if (unreadable !== undefined) return { stack: stack.name, drift: [], pending: [], error: unreadable, durationMs: 0 };
        try {
          if (!(await records.exists(stack))) return { stack: stack.name, drift: [], pending: [], error: "stack is not deployed", durationMs: 0 };
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

/** The report with release-object drift added to each stack's reality drift. Pure. */
export function withReleaseDrift(report: DriftReport, drift: ReadonlyMap<string, readonly ResourceChange[]>): DriftReport {
  return { ...report, stacks: report.stacks.map((s) => (drift.has(s.stack) ? { ...s, drift: [...s.drift, ...drift.get(s.stack)!] } : s)) };
}
