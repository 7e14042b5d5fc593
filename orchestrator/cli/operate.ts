import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorContents } from "../../tools/charts/mirror";
import { checkCapacity, formatCapacityReport, type CapacityReport } from "../../environments/capacity";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import type { Operation } from "../engine";
import { redactDeep } from "../history/redact";
import { lastUpFingerprints } from "../history/stats";
import { recoveryNote } from "../lock";
import { planRun, type StackPlan } from "../plan/plan";
import type { RunRecord } from "../results";
import { runRecord } from "../history/record";
import { PreflightError, prepareSecrets } from "../run/preflight";
import { fingerprintInputs, upstreamOf } from "../run/stack-inputs";
import { DEFAULT_RETRY } from "../run/retry";
import { runPlan } from "../run/runner";
import { EXIT } from "./exit-codes";
import { progressDisplay } from "./progress";
import { renderRunSummary } from "./report";
import type { Workspace } from "./workspace";

export interface OperateOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly withDeps?: boolean;
  readonly parallel: number;
  readonly force?: boolean;
  readonly refresh?: boolean;
  readonly json?: boolean;
  readonly policyPacks?: readonly string[];
  readonly retries?: number;
  readonly retryOn?: readonly string[];
  /** The caller already holds the environment's lock (a promotion applying or rolling back). */
  readonly lockHeld?: boolean;
  /** With json: print the run record on stdout (off when a caller prints its own JSON document). */
  readonly emitJson?: boolean;
  readonly promotion?: RunRecord["promotion"];
}

export interface OperateResult {
  readonly exitCode: number;
  readonly record?: RunRecord;
  readonly plan?: StackPlan;
  readonly capacity?: CapacityReport;
}

/** up / preview / refresh / destroy over an environment: validate, lock, run, record. */
export async function operate(workspace: Workspace, operation: Operation, options: OperateOptions, signal?: AbortSignal): Promise<OperateResult> {
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const env = loadEnvironment(options.env);
  const plan = planRun(env, { operation, layers: options.layers, withDependencies: options.withDeps });
  let capacity: CapacityReport | undefined;
  if (operation === "up" || operation === "preview") {
    capacity = checkCapacity(env);
    say(formatCapacityReport(capacity));
    if (!capacity.fits) throw new PreflightError(`${env.file}: the enabled layers request more than the cluster can hold at cluster.maxNodes`);
    checkMirror(workspace, env);
  }

  const lock = options.lockHeld ? { release() {} } : await workspace.locks.acquire(env.name, operation);
  const recovered = recoveryNote(lock);
  if (recovered) say(recovered);
  const startedAt = new Date();
  const display = progressDisplay(process.stdout, { json: Boolean(options.json), ci: process.env.CI === "true" });
  let secrets: readonly string[] = [];
  try {
    const prepared = operation === "up" || operation === "preview" ? await prepareSecrets(workspace.engine, env, plan.stacks) : undefined;
    secrets = prepared?.generatedValues ?? [];
    prepared?.notes.forEach(say);
    say(`${operation} ${env.name}: ${plan.stacks.length} stack(s), up to ${options.parallel} at a time`);

    const fingerprintOf = operation === "up" ? fingerprintInputs(workspace.root, env) : undefined;
    const results = await runPlan({
      engine: workspace.engine,
      plan,
      concurrency: options.parallel,
      upstream: upstreamOf(env),
      signal,
      retry: { ...DEFAULT_RETRY, attempts: (options.retries ?? DEFAULT_RETRY.attempts - 1) + 1 },
      retryOn: (options.retryOn ?? []).map((pattern) => new RegExp(pattern, "i")),
      policyPacks: operation === "up" || operation === "preview" ? options.policyPacks : undefined,
      refresh: options.refresh,
      configFor: async (stack) => prepared?.config.get(stack.name) ?? {},
      ...(fingerprintOf ? { fingerprintOf } : {}),
      lastFingerprints: lastUpFingerprints(await workspace.history.read({ env: env.name })),
      force: options.force,
      onProgress: (progress) => display.update(progress),
      onNote: (line) => display.note(line),
    });
    display.close();
    const record = redactDeep(runRecord(env.name, operation, startedAt, results, signal, options.promotion ? { promotion: options.promotion } : {}), secrets);
    await workspace.history.append(record);
    if (options.json && options.emitJson !== false) process.stdout.write(`${JSON.stringify({ run: record, plan: { stacks: plan.stacks.map((s) => s.name), outside: plan.outside }, capacity }, null, 2)}\n`);
    else say(renderRunSummary(record));
    const exitCode = record.status === "succeeded" ? EXIT.ok : record.status === "cancelled" ? EXIT.interrupted : EXIT.failed;
    return { exitCode, record, plan, capacity };
  } finally {
    display.close();
    await lock.release();
  }
}

function checkMirror(workspace: Workspace, env: EnvironmentSpec): void {
  if (!env.charts.mirror) return;
  const mirror = path.resolve(workspace.root, env.charts.mirror);
  const missing = mirrorContents(env, mirror, fs.existsSync).filter((entry) => !entry.present);
  if (missing.length === 0) return;
  throw new PreflightError(
    `${env.file}: charts.mirror ${env.charts.mirror} lacks ${missing.map((m) => `${m.chart} ${m.version}`).join(", ")}; ` +
      `copy the archives there (helm pull <repo>/<chart> --version <v> -d ${env.charts.mirror}) or run \`npm run charts -- stand-ins --env ${env.name}\``,
  );
}
