import { PolicyViolationError, TransientEngineError, type OperationResult, type StackConfig, type StackEngine, type StackId, type StackOutputs } from "../engine";
import type { StackPlan } from "../plan/plan";
import type { StackOutcome, StackRunResult } from "../results";
import type { StackProgress } from "./progress";
import { stackFingerprint, type FingerprintInputs } from "./fingerprint";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";
import { scheduleEager } from "./scheduler";

export interface RunnerOptions {
  readonly engine: StackEngine;
  readonly plan: StackPlan;
  readonly concurrency: number;
  /** Full dependency lists by stack name, including stacks outside the plan (their outputs feed fingerprints). */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  /** Extra error messages to treat as transient, on top of the engine's own list. */
  readonly retryOn?: readonly RegExp[];
  readonly policyPacks?: readonly string[];
  readonly refresh?: boolean;
  /** For up/preview: the config each stack gets before it runs. */
  readonly configFor?: (stack: StackId) => Promise<StackConfig>;
  /** For up: the fingerprint's inputs besides upstream outputs; skipping is off without it. */
  readonly fingerprintOf?: (stack: StackId) => Omit<FingerprintInputs, "upstream">;
  /** Fingerprints of each stack's last successful up. */
  readonly lastFingerprints?: ReadonlyMap<string, string>;
  readonly force?: boolean;
  readonly onProgress?: (progress: StackProgress) => void;
  readonly onNote?: (line: string) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs one operation over a plan: eager and parallel, outputs handed from each stack to its
 * dependents in memory, failures isolated to what depends on them. Never throws for a stack's
 * failure; every stack gets a result.
 */
export async function runPlan(options: RunnerOptions): Promise<StackRunResult[]> {
  const { plan, engine } = options;
  const byName = new Map(plan.stacks.map((stack) => [stack.name, stack]));
  const results = new Map<string, StackRunResult>();
  const outputs = new Map<string, Promise<StackOutputs>>();
  const outputsOf = (name: string) => {
    let known = outputs.get(name);
    if (!known) {
      known = engine.outputs(idOf(name, plan.env)).catch((error: Error) => {
        throw new Error(`cannot read the outputs of ${name} (${error.message}); deploy it first, e.g. with --with-deps`);
      });
      outputs.set(name, known);
    }
    return known;
  };
  for (const stack of plan.stacks) options.onProgress?.({ stack: stack.name, state: "pending", elapsedMs: 0, resourcesDone: 0 });

  const runOne = async (name: string): Promise<boolean> => {
    const stack = byName.get(name)!;
    const started = Date.now();
    const notes: string[] = [];
    let attempts = 0;
    const note = (line: string) => {
      notes.push(line);
      options.onNote?.(`${name}: ${line}`);
    };
    const progress = (extra: Partial<StackProgress>) =>
      options.onProgress?.({ stack: name, state: "running", elapsedMs: Date.now() - started, resourcesDone: 0, ...extra });
    const finish = (outcome: StackOutcome, fingerprint?: string): boolean => {
      const result: StackRunResult = {
        stack,
        operation: plan.operation,
        outcome,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        attempts,
        ...(fingerprint ? { fingerprint } : {}),
        notes,
      };
      results.set(name, result);
      options.onProgress?.({
        stack: name,
        state: outcome.status,
        elapsedMs: result.durationMs,
        resourcesDone: 0,
        ...(outcome.status === "succeeded" ? { changes: outcome.changes } : {}),
        ...(outcome.status === "failed" ? { detail: outcome.error.split("\n")[0]!.slice(0, 200) } : {}),
        ...(outcome.status === "unchanged" ? { detail: "fingerprint unchanged, skipped" } : {}),
      });
      return outcome.status === "succeeded" || outcome.status === "unchanged";
    };

    progress({});
    try {
      const recovered = await engine.recover(stack);
      if (recovered) note(recovered);
      if ((plan.operation === "destroy" || plan.operation === "refresh") && !(await engine.exists(stack))) {
        note("stack does not exist; nothing to do");
        outputs.set(name, Promise.resolve({}));
        return finish({ status: "succeeded", changes: {} });
      }
      if ((plan.operation === "up" || plan.operation === "preview") && options.configFor) {
        await engine.prepare(stack, await options.configFor(stack));
      }

      let fingerprint: string | undefined;
      if (plan.operation === "up" && options.fingerprintOf) {
        const upstream: Record<string, StackOutputs> = {};
        for (const dependency of options.upstream.get(name) ?? []) upstream[dependency] = await outputsOf(dependency);
        fingerprint = stackFingerprint({ ...options.fingerprintOf(stack), upstream });
        if (!options.force && !recovered && options.lastFingerprints?.get(name) === fingerprint && (await engine.exists(stack))) {
          outputs.set(name, engine.outputs(stack));
          await outputs.get(name);
          return finish({ status: "unchanged", fingerprint }, fingerprint);
        }
      }

      const run = await withRetry<OperationResult>(
        () => {
          attempts += 1;
          return engine.run(plan.operation, stack, {
            signal: options.signal,
            refresh: options.refresh,
            policyPacks: options.policyPacks,
            onProgress: (p) => progress({ resourcesDone: p.resourcesDone, ...(p.message ? { detail: p.message } : {}) }),
          });
        },
        options.retry ?? DEFAULT_RETRY,
        {
          isRetryable: (error) => error instanceof TransientEngineError || (options.retryOn ?? []).some((pattern) => pattern.test(String((error as Error)?.message))),
          onRetry: (attempt, delay, error) => note(`attempt ${attempt} in ${Math.round(delay / 100) / 10}s after a transient error: ${(error as Error).message.slice(0, 200)}`),
          signal: options.signal,
          sleep: options.sleep,
        },
      );
      if (run.value.outputs) outputs.set(name, Promise.resolve(run.value.outputs));
      return finish({ status: "succeeded", changes: run.value.changes }, fingerprint);
    } catch (error) {
      const message = error instanceof PolicyViolationError ? `policy violations: ${error.violations.join("; ")}` : (error as Error)?.message ?? String(error);
      attempts = Math.max(attempts, 1);
      return finish({ status: "failed", error: options.signal?.aborted ? `cancelled: ${message}` : message });
    }
  };

  const settled = await scheduleEager(plan.graph, runOne, {
    concurrency: options.concurrency,
    signal: options.signal,
    onSettled: (name, result) => {
      if (result.kind === "succeeded" || result.kind === "failed") return;
      const reason = result.kind === "skipped" ? ({ kind: "dependency-failed", dependency: result.dependency } as const) : ({ kind: "cancelled" } as const);
      const stack = byName.get(name)!;
      results.set(name, { stack, operation: plan.operation, outcome: { status: "skipped", reason }, durationMs: 0, attempts: 0, notes: [] });
      options.onProgress?.({ stack: name, state: "skipped", elapsedMs: 0, resourcesDone: 0, detail: result.kind === "skipped" ? `${result.dependency} did not succeed` : "cancelled" });
    },
  });
  void settled;
  return plan.stacks.map((stack) => results.get(stack.name)!);
}

function idOf(name: string, env: string): StackId {
  return { layer: name.slice(0, name.length - env.length - 1) as StackId["layer"], env, name };
}
