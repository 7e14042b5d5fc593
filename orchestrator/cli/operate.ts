import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorContents } from "../../tools/charts/mirror";
import { checkCapacity, formatCapacityReport, type CapacityReport } from "../../environments/capacity";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import type { Operation, StackId } from "../engine";
import { crdsKeptByHelm, formatKeptCrds, removeReappearedRoles } from "../destroy-leftovers";
import { redactDeep } from "../history/redact";
import { formatReleaseChanges, releaseChanges } from "../preview/release-changes";
import { localClient } from "../../tools/cluster/kube-client";
import { lastUpFingerprints } from "../history/stats";
import { LAYER_NAMES, stackName } from "../layers";
import { acquireLock } from "../lock";
import { planRun, type StackPlan } from "../plan/plan";
import type { RunRecord } from "../results";
import { runRecord } from "../history/record";
import { PreflightError, prepareSecrets } from "../run/preflight";
import { renderedFootprints } from "../run/chart-footprints";
import { programDigest } from "../run/program-digest";
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
    checkMirror(workspace, env);
    capacity = checkCapacity(env, await renderedFootprints(env, env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : undefined));
    say(formatCapacityReport(capacity));
    if (!capacity.fits) throw new PreflightError(`${env.file}: the enabled layers request more than the cluster can hold at cluster.maxNodes`);
    if (capacity.overQuota.length > 0) {
      throw new PreflightError(`${env.file}: the charts of ${capacity.overQuota.join(", ")} request more than the layer quota; raise layers.<layer>.quota (the table above says which component takes what)`);
    }
  }

  const lock = options.lockHeld ? { release() {} } : acquireLock(workspace.lockDir, env.name, operation);
  if ("recovered" in lock && lock.recovered) say(`recovered a stale run lock left by ${lock.recovered.user}@${lock.recovered.host} (pid ${lock.recovered.pid}, ${lock.recovered.operation} since ${lock.recovered.startedAt})`);
  const startedAt = new Date();
  const display = progressDisplay(process.stdout, { json: Boolean(options.json), ci: process.env.CI === "true" });
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
      lastFingerprints: lastUpFingerprints(workspace.history.read({ env: env.name })),
      force: options.force,
      onProgress: (progress) => display.update(progress),
      onNote: (line) => display.note(line),
    });
    display.close();
    const record = redactDeep(runRecord(env.name, operation, startedAt, results, signal, options.promotion ? { promotion: options.promotion } : {}), secrets);
    workspace.history.append(record);
    const insideReleases = operation === "preview" ? await previewInsideReleases(workspace, env, plan.stacks).catch(() => undefined) : undefined;
    const wholeDestroy = operation === "destroy" && record.status === "succeeded" && plan.stacks.length === LAYER_NAMES.filter((l) => env.layers[l].enabled).length;
    const removedRoles = wholeDestroy ? await removeReappearedRoles(env, workspace.root).catch(() => []) : [];
    if (removedRoles.length > 0) say(`removed ${removedRoles.length} aggregated ClusterRole(s) the aggregation controller re-created after Helm deleted them: ${removedRoles.join(", ")}`);
    const keptCrds = wholeDestroy ? await crdsKeptByHelm(env, workspace.root).catch(() => undefined) : undefined;
    if (options.json && options.emitJson !== false) process.stdout.write(`${JSON.stringify({ run: record, plan: { stacks: plan.stacks.map((s) => s.name), outside: plan.outside }, capacity, ...(keptCrds ? { keptCrds } : {}), ...(insideReleases ? { releaseChanges: Object.fromEntries(insideReleases) } : {}) }, null, 2)}\n`);
    else say(renderRunSummary(record));
    if (keptCrds) say(formatKeptCrds(keptCrds));
    if (insideReleases && insideReleases.size > 0) say(formatReleaseChanges(insideReleases));
    const exitCode = record.status === "succeeded" ? EXIT.ok : record.status === "cancelled" ? EXIT.interrupted : EXIT.failed;
    return { exitCode, record, plan, capacity };
  } finally {
    display.close();
    lock.release();
  }
}

/** Per stack, the objects and fields a values change alters inside its releases (local: mirror and API at hand). */
async function previewInsideReleases(workspace: Workspace, env: EnvironmentSpec, stacks: readonly StackId[]) {
  const client = env.target === "local" && env.local ? localClient(path.resolve(workspace.root, env.local.kubeconfig)) : undefined;
  return client && env.charts.mirror ? releaseChanges(client, env, path.resolve(workspace.root, env.charts.mirror), stacks) : undefined;
}

function checkMirror(workspace: Workspace, env: EnvironmentSpec): void {
  if (!env.charts.mirror) return;
  const mirror = path.resolve(workspace.root, env.charts.mirror);
  const missing = mirrorContents(env, mirror, fs.existsSync).filter((entry) => !entry.present);
  if (missing.length === 0) return;
  throw new PreflightError(
    `${env.file}: charts.mirror ${env.charts.mirror} lacks ${missing.map((m) => `${m.chart} ${m.version}`).join(", ")}; ` +
      `fill it with \`npm run charts -- fill --env ${env.name} --from <folder of chart archives>\` (such as ../shared/charts), or \`--from upstream\` where the network allows`,
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
