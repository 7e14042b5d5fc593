import type { BackendRecords } from "../engine/backend-records";
import { PolicyViolationError, TransientEngineError } from "../engine/errors";
import type { OperationResult, StackConfig, StackEngine } from "../engine/stack-engine";
import { runsProgram, stackIdOf, type StackId, type StateMarker } from "../model/stack";
import type { LastUp } from "../history/stats";
import type { StackPlan } from "../plan/plan";
import type { StackOutcome, StackRunResult } from "../model/run-record";
import type { StackProgress } from "./progress";
import { outputsDigest, stackFingerprint } from "./fingerprint";
import type { FingerprintSources } from "./fingerprint-inputs";
import { recordedOutputsDigest, skipDecision } from "./skip-unchanged";
import { skippedStackResult } from "./skip-dependents";
import type { StackStep } from "./stack-step";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "./retry";
import { scheduleEager } from "./scheduler";
import { staleObjectsOf, staleRetryNote, withStaleFailure } from "./stale-objects";

export interface RunnerOptions {
  readonly engine: StackEngine;
  readonly records: BackendRecords;
  readonly plan: StackPlan;
  readonly concurrency: number;
  readonly signal?: AbortSignal;
  readonly retry?: RetryPolicy;
  /** Extra error messages to treat as transient, on top of the engine's own list. */
  readonly retryOn?: readonly RegExp[];
  readonly policyPacks?: readonly string[];
  readonly refresh?: boolean;
  /** For up/preview: the config a stack gets before it runs (generated secrets), by stack name. */
  readonly config?: ReadonlyMap<string, StackConfig>;
  /** For up: what each stack's fingerprint is made of; skipping is off without it. */
  readonly fingerprints?: FingerprintSources;
  /** What each stack's last successful up left. */
  readonly lastUps?: ReadonlyMap<string, LastUp>;
  /** Stacks an earlier run left unsettled (killed, cancelled, failed, timed out), with why: never skipped, and reconciled with reality (refresh) first. */
  readonly unsettled?: ReadonlyMap<string, string>;
  /** The operation's own step before each stack runs (the stuck-release repair of up and destroy). */
  readonly stackStep?: StackStep;
  readonly force?: boolean;
  /** Stacks whose state does not parse, with why: failed without a call to the engine or the backend, their dependents skipped. */
  readonly unreadable?: ReadonlyMap<string, string>;
  readonly onProgress?: (progress: StackProgress) => void;
  readonly onNote?: (line: string) => void;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The digest of an upstream stack's outputs; a stack never deployed is named as such, with the fix. */
async function readOutputsDigest(engine: StackEngine, records: BackendRecords, stack: StackId): Promise<string> {
  if (!(await records.exists(stack))) {
    throw new Error(`${stack.name} is not deployed and this stack needs its outputs; deploy it first (add --with-deps, or include --layers ${stack.layer})`);
  }
  return engine.outputs(stack).then(outputsDigest, (error: Error) => {
    throw new Error(`cannot read the outputs of ${stack.name} (${error.message}); deploy it first, e.g. with --with-deps`);
  });
}

/**
 * Runs one operation over a plan: eager and parallel, outputs handed from each stack to its
 * dependents in memory, failures isolated to what depends on them. Never throws for a stack's
 * failure; every stack gets a result.
 */
export async function runPlan(options: RunnerOptions): Promise<StackRunResult[]> {
  const { plan, engine, records } = options;
  const byName = new Map(plan.stacks.map((stack) => [stack.name, stack]));
  const results = new Map<string, StackRunResult>();
  const fingerprints = plan.operation === "up" ? options.fingerprints : undefined;
  const skipping = fingerprints !== undefined;
  // One backend listing serves every stack's skip decision.
  const markers: ReadonlyMap<string, StateMarker> = skipping ? await records.stateMarkers() : new Map();
  const digests = new Map<string, Promise<string>>();
  const digestOf = (name: string) => {
    let known = digests.get(name);
    if (!known) {
      const recorded = recordedOutputsDigest(options.lastUps?.get(name), markers.get(name));
      known = recorded !== undefined ? Promise.resolve(recorded) : readOutputsDigest(engine, records, stackIdOf(name, plan.env));
      digests.set(name, known);
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
    const finish = (outcome: StackOutcome, extra: Pick<StackRunResult, "fingerprint" | "outputsDigest" | "stateMarker"> = {}): boolean => {
      const result: StackRunResult = {
        stack,
        operation: plan.operation,
        outcome,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        attempts,
        ...extra,
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
    const fingerprintNow = async () => {
      const upstream: Record<string, string> = {};
      for (const dependency of fingerprints!.upstream.get(name) ?? []) upstream[dependency] = await digestOf(dependency);
      return stackFingerprint({ ...fingerprints!.of(stack), upstream });
    };

    const unreadable = options.unreadable?.get(name);
    if (unreadable !== undefined) return finish({ status: "failed", error: unreadable });
    progress({});
    try {
      const unsettled = options.unsettled?.get(name);
      const prepared = await options.stackStep?.before(stack);
      prepared?.notes.forEach(note);
      if (prepared?.unchecked) note(prepared.unchecked);
      if (skipping && !prepared?.reconcile) {
        const last = options.lastUps?.get(name);
        const decision = skipDecision({
          force: options.force ?? false,
          fingerprint: await fingerprintNow(),
          last,
          marker: markers.get(name),
          interrupted: unsettled !== undefined,
          locked: await records.stackLocked(stack),
        });
        if (decision.skip) {
          digests.set(name, Promise.resolve(last!.outputsDigest!));
          return finish({ status: "unchanged", fingerprint: last!.fingerprint }, { fingerprint: last!.fingerprint, outputsDigest: last!.outputsDigest!, stateMarker: markers.get(name)! });
        }
      }
      const recovered = await records.recover(stack);
      if (recovered) note(recovered);
      if ((plan.operation === "destroy" || plan.operation === "refresh") && !(await records.exists(stack))) {
        note("stack does not exist; nothing to do");
        digests.set(name, Promise.resolve(outputsDigest({})));
        return finish({ status: "succeeded", changes: {} });
      }
      // Cleared pending operations, a run killed, cancelled or failed midway, or a repaired Helm release leave state that
      // may not match the cluster: refresh first, so what vanished is created again and what remains is not duplicated.
      const reconcile = (recovered !== undefined || unsettled !== undefined || prepared?.reconcile !== undefined) && plan.operation !== "refresh";
      const why = unsettled !== undefined ? `the ${unsettled} left it unsettled` : (prepared?.reconcile ?? "recovery cleared what a killed run left");
      if (reconcile) note(`refreshing state from the cluster first: ${why}`);
      if (runsProgram(plan.operation) && options.config) await engine.prepare(stack, options.config.get(stack.name) ?? {});
      const fingerprint = skipping ? await fingerprintNow() : undefined;

      const attempt = (refresh: boolean) => withRetry<OperationResult>(
        () => {
          attempts += 1;
          return engine.run(plan.operation, stack, {
            signal: options.signal,
            refresh,
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
      const refreshed = options.refresh === true || reconcile;
      const run = await attempt(refreshed).catch(async (error: unknown) => {
        // An object the state says exists is gone (a namespace a cancelled destroy deleted after all): refresh, once.
        const stale = plan.operation === "up" && !options.signal?.aborted ? staleObjectsOf(error) : [];
        if (stale.length === 0) throw error;
        if (refreshed) throw withStaleFailure(error, stale, plan.env);
        note(staleRetryNote(stale));
        return attempt(true).catch((again: unknown) => {
          const still = staleObjectsOf(again);
          throw still.length > 0 ? withStaleFailure(again, still, plan.env) : again;
        });
      });
      const digest = run.value.outputs ? outputsDigest(run.value.outputs) : undefined;
      if (digest) digests.set(name, Promise.resolve(digest));
      return finish({ status: "succeeded", changes: run.value.changes }, { ...(fingerprint ? { fingerprint } : {}), ...(digest ? { outputsDigest: digest } : {}) });
    } catch (error) {
      const message = error instanceof PolicyViolationError ? `policy violations: ${error.violations.join("; ")}` : (error as Error)?.message ?? String(error);
      attempts = Math.max(attempts, 1);
      const detail = (error as { detail?: unknown })?.detail;
      return finish({ status: "failed", error: options.signal?.aborted ? `cancelled: ${message}` : message, ...(typeof detail === "string" ? { detail } : {}) });
    }
  };

  await scheduleEager(plan.graph, runOne, {
    concurrency: options.concurrency,
    signal: options.signal,
    onSettled: (name, result) => {
      if (result.kind === "succeeded" || result.kind === "failed") return;
      const because = result.kind === "skipped" && options.unreadable?.has(result.dependency) ? "its state file does not parse" : undefined;
      const skipped = skippedStackResult(byName.get(name)!, plan.operation, result, because);
      results.set(name, skipped.result);
      options.onProgress?.({ stack: name, state: "skipped", elapsedMs: 0, resourcesDone: 0, detail: skipped.detail });
    },
  });
  const ordered = plan.stacks.map((stack) => results.get(stack.name)!);
  return skipping ? withStateMarkers(records, ordered) : ordered;
}

/** Succeeded ups get the marker of the state they left, from one fresh listing, so the next up can skip them. */
async function withStateMarkers(records: BackendRecords, results: StackRunResult[]): Promise<StackRunResult[]> {
  if (!results.some((result) => result.outcome.status === "succeeded")) return results;
  const markers = await records.stateMarkers({ fresh: true }).catch(() => new Map<string, StateMarker>());
  return results.map((result) => {
    const marker = markers.get(result.stack.name);
    return result.outcome.status === "succeeded" && marker ? { ...result, stateMarker: marker } : result;
  });
}
