import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorContents } from "../components/chart-source";
import { checkCapacity, formatCapacityReport, type CapacityReport } from "../environments/capacity";
import { LAYER_NAMES, stackName } from "../environments/layers";
import { loadEnvironment } from "../environments/load";
import type { EnvironmentSpec } from "../environments/model";
import type { Operation, StackId } from "./engine";
import { runRecord, runStart } from "./history/record";
import { redactDeep } from "./history/redact";
import { interruptedStacks, lastUps } from "./history/stats";
import { acquireLock } from "./lock";
import { planRun, type StackPlan } from "./plan/plan";
import type { RunRecord } from "./results";
import { PreflightError, prepareSecrets } from "./run/preflight";
import { programDigest } from "./run/program-digest";
import type { RunReporter } from "./run/progress";
import { DEFAULT_RETRY } from "./run/retry";
import { runPlan } from "./run/runner";
import type { Workspace } from "./workspace";

export interface OperateOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly withDeps?: boolean;
  readonly parallel: number;
  readonly force?: boolean;
  readonly refresh?: boolean;
  readonly policyPacks?: readonly string[];
  readonly retries?: number;
  readonly retryOn?: readonly string[];
  /** The caller already holds the environment's lock (a promotion applying or rolling back). */
  readonly lockHeld?: boolean;
  readonly promotion?: RunRecord["promotion"];
}

export interface OperateResult {
  readonly record: RunRecord;
  readonly plan: StackPlan;
  readonly capacity?: CapacityReport;
}

/** up / preview / refresh / destroy over an environment: validate, lock, run, record. */
export async function operate(workspace: Workspace, operation: Operation, options: OperateOptions, reporter: RunReporter, signal?: AbortSignal): Promise<OperateResult> {
  const say = (line: string) => reporter.say(line);
  const env = loadEnvironment(options.env);
  const plan = planRun(env, { operation, layers: options.layers, withDependencies: options.withDeps });
  let capacity: CapacityReport | undefined;
  if (operation === "up" || operation === "preview") {
    capacity = checkCapacity(env);
    say(formatCapacityReport(capacity));
    if (!capacity.fits) throw new PreflightError(`${env.file}: the enabled layers request more than the cluster can hold at cluster.maxNodes`);
    checkMirror(workspace, env);
  }

  const lock = options.lockHeld ? { release() {} } : acquireLock(workspace.lockDir, env.name, operation);
  if ("recovered" in lock && lock.recovered) say(`recovered a stale run lock left by ${lock.recovered.user}@${lock.recovered.host} (pid ${lock.recovered.pid}, ${lock.recovered.operation} since ${lock.recovered.startedAt})`);
  const history = workspace.history.read({ env: env.name });
  const interrupted = interruptedStacks(workspace.history.starts({ env: env.name }), history);
  for (const [stack, start] of interrupted) {
    if (plan.stacks.some((s) => s.name === stack)) say(`${stack}: a ${start.operation} by ${start.user}@${start.host} (pid ${start.pid}) started ${start.startedAt} and never finished; it is reconciled with the cluster before it runs`);
  }
  const start = runStart(env.name, operation, plan.stacks.map((s) => s.name), new Date());
  workspace.history.append(start);
  const display = reporter.openProgress();
  let secrets: readonly string[] = [];
  try {
    const prepared = operation === "up" || operation === "preview" ? await prepareSecrets(workspace.engine, env, plan.stacks) : undefined;
    secrets = prepared?.generatedValues ?? [];
    prepared?.notes.forEach(say);
    say(`${operation} ${env.name}: ${plan.stacks.length} stack(s), up to ${options.parallel} at a time`);

    const program = operation === "up" ? programDigest(workspace.root, env.charts.mirror ? [path.resolve(workspace.root, env.charts.mirror)] : []) : "";
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
      fingerprintOf: (stack) => ({ program, settings: stackSettings(env, stack), config: readConfigFile(workspace.root, stack) }),
      lastUps: lastUps(history),
      interrupted: new Set(interrupted.keys()),
      force: options.force,
      onProgress: (progress) => display.update(progress),
      onNote: (line) => display.note(line),
    });
    display.close();
    const record = redactDeep(runRecord(start, results, signal, options.promotion ? { promotion: options.promotion } : {}), secrets);
    workspace.history.append(record);
    reporter.finished(record);
    return { record, plan, ...(capacity ? { capacity } : {}) };
  } finally {
    display.close();
    lock.release();
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

/** Every stack's full dependency list, including layers a subset leaves out. */
function upstreamOf(env: EnvironmentSpec): Map<string, string[]> {
  return new Map(LAYER_NAMES.map((layer) => [stackName(layer, env.name), env.layers[layer].dependsOn.map((need) => stackName(need, env.name))]));
}

/** What a stack's program reads of its environment. */
function stackSettings(env: EnvironmentSpec, stack: StackId): unknown {
  const { file: _file, layers, ...shared } = env;
  return { ...shared, layer: layers[stack.layer] };
}

function readConfigFile(root: string, stack: StackId): string {
  const file = path.join(root, `Pulumi.${stack.name}.yaml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}
