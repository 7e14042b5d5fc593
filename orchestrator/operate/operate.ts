import { checkCapacity, formatCapacityReport, type CapacityReport } from "../../environments/capacity";
import { loadEnvironment } from "../../environments/load";
import * as path from "node:path";
import { LAYER_NAMES } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import type { KeptCrd } from "./destroy/crd-leftovers";
import { openDestroySession, type PurgeConfirmation } from "./destroy/destroy-step";
import { archiveFolders, chartFolders } from "../releases/chart-archives";
import { lazyCluster } from "../cluster/cluster-access";
import type { StuckLayerNamespace } from "./destroy/namespace-causes";
import type { Operation, StackId } from "../model/stack";
import type { ResourceChange } from "../model/changes";
import { releaseRepairer } from "../releases/repair-releases";
import { localClient } from "../cluster/kube-client";
import { formatReleaseChanges, releaseChanges } from "../releases/release-changes";
import { renderedFootprints } from "../session/chart-footprints";
import { runRecord, runStart } from "../history/record";
import { redactDeep } from "../history/redact";
import { interruptedStacks, lastUps } from "../history/stats";
import { recoveryNote } from "../locks/environment-lock";
import { planRun, type StackPlan } from "../plan/plan";
import type { RunRecord } from "../model/run-record";
import { checkChartMirror } from "../session/mirror-check";
import { checkPolicyPacks } from "../session/policy-packs";
import { PreflightError } from "../model/preflight-error";
import { prepareSecrets } from "../session/secrets-preflight";
import { fingerprintSources } from "../run/fingerprint-inputs";
import type { RunReporter } from "../run/progress";
import { DEFAULT_RETRY, retryPatterns } from "../run/retry";
import { runPlan, type RunnerOptions } from "../run/runner";
import type { Workspace } from "../workspace/workspace";

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
  /** destroy: after a successful destroy of every stack, delete the CRDs the charts left, once confirmed. */
  readonly purgeCrds?: PurgeConfirmation;
}

export interface OperateResult {
  readonly record: RunRecord;
  readonly plan: StackPlan;
  readonly capacity?: CapacityReport;
  /** After destroying a whole environment: the CRDs of the platform's charts Helm keeps by design, and why. */
  readonly keptCrds?: readonly KeptCrd[];
  /** The CRDs `--purge-crds` deleted. */
  readonly purgedCrds?: readonly string[];
  /** Why the leftovers could not be listed or purged; the command fails. */
  readonly leftoverProblem?: string;
  /** destroy: namespaces still Terminating when the run ended, with their causes. */
  readonly stuckNamespaces?: readonly StuckLayerNamespace[];
  /** After a preview: per stack, the objects and fields a values change alters inside its releases. */
  readonly releaseChanges?: Readonly<Record<string, readonly ResourceChange[]>>;
}

/** up / preview / refresh / destroy over an environment: validate, lock, run, record. */
export async function operate(workspace: Workspace, operation: Operation, options: OperateOptions, reporter: RunReporter, signal?: AbortSignal): Promise<OperateResult> {
  const say = (line: string) => reporter.say(line);
  const env = loadEnvironment(options.env, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation, layers: options.layers, withDependencies: options.withDeps });
  const retryOn = retryPatterns(options.retryOn ?? []);
  let capacity: CapacityReport | undefined;
  if (operation === "up" || operation === "preview") {
    checkChartMirror(workspace.root, env);
    // What the charts really run (sidecars, operators, hook Jobs), rendered with the environment's values.
    capacity = checkCapacity(env, await renderedFootprints(env, env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : undefined, path.join(workspace.dataDir, "cache")));
    say(formatCapacityReport(capacity));
    if (!capacity.fits) throw new PreflightError(`${env.file}: the enabled layers request more than the cluster can hold at cluster.maxNodes`);
    if (capacity.overQuota.length > 0) {
      throw new PreflightError(`${env.file}: the charts of ${capacity.overQuota.join(", ")} request more than the layer quota; raise layers.<layer>.quota (the table above says which component takes what)`);
    }
    checkPolicyPacks(options.policyPacks ?? []);
  }

  // Reads the stacks' config files only; a missing secret is bad input like any other, refused before the lock.
  const prepared = operation === "up" || operation === "preview" ? await prepareSecrets(workspace.configFiles, env, plan.stacks) : undefined;

  const lock = options.lockHeld ? { release() {} } : await workspace.locks.acquire(env.name, operation);
  try {
    const recovered = recoveryNote(lock);
    if (recovered) say(recovered);
    return await runLocked(workspace, operation, options, { env, plan, prepared, capacity, retryOn }, reporter, signal);
  } finally {
    await lock.release();
  }
}

interface Checked {
  readonly env: EnvironmentSpec;
  readonly plan: StackPlan;
  readonly prepared?: Awaited<ReturnType<typeof prepareSecrets>>;
  readonly capacity?: CapacityReport;
  readonly retryOn: ReturnType<typeof retryPatterns>;
}

/** The run itself, under the environment's lock: a start line, the stacks, the record. */
async function runLocked(workspace: Workspace, operation: Operation, options: OperateOptions, checked: Checked, reporter: RunReporter, signal?: AbortSignal): Promise<OperateResult> {
  const say = (line: string) => reporter.say(line);
  const { plan, prepared, capacity, retryOn } = checked;
  const env = checked.env.name;
  const secrets = prepared?.generatedValues ?? [];
  const history = await workspace.history.read({ env });
  const interrupted = interruptedStacks(await workspace.history.starts({ env }), history);
  for (const [stack, start] of interrupted) {
    if (plan.stacks.some((s) => s.name === stack)) say(`${stack}: a ${start.operation} by ${start.user}@${start.host} (pid ${start.pid}) started ${start.startedAt} and never finished; it is reconciled with the cluster before it runs`);
  }
  const start = runStart(env, operation, plan.stacks.map((s) => s.name), new Date());
  await workspace.history.append(start);
  const display = reporter.openProgress();
  // Helm releases a killed run left stuck are repaired before an up or a destroy touches their stack.
  const repairCluster = operation === "up" || operation === "destroy" ? lazyCluster(checked.env, workspace.root, workspace.engine) : undefined;
  const destroying =
    operation === "destroy" ? await openDestroySession(checked.env, workspace.root, workspace.engine, plan.stacks, { say, note: (stack, line) => display.note(`${stack}: ${line}`) }) : undefined;
  try {
    prepared?.notes.forEach(say);
    say(`${operation} ${env}: ${plan.stacks.length} stack(s), up to ${options.parallel} at a time`);

    const fingerprints = fingerprintSources(workspace.root, checked.env);
    const ran = await runPlan({
      engine: workspace.engine,
      records: workspace.records,
      plan,
      concurrency: options.parallel,
      upstream: fingerprints.upstream,
      signal,
      retry: { ...DEFAULT_RETRY, attempts: (options.retries ?? DEFAULT_RETRY.attempts - 1) + 1 },
      retryOn,
      policyPacks: operation === "up" || operation === "preview" ? options.policyPacks : undefined,
      refresh: options.refresh,
      configFor: async (stack) => prepared?.config.get(stack.name) ?? {},
      ...(operation === "up" ? { fingerprintOf: fingerprints.of } : {}),
      lastUps: lastUps(history),
      interrupted: new Set(interrupted.keys()),
      ...(repairCluster ? { repairReleases: stuckReleaseRepairer(checked.env, workspace.root, operation as "up" | "destroy", repairCluster) } : {}),
      force: options.force,
      onProgress: (progress) => display.update(progress),
      onNote: (line) => display.note(line),
    });
    const { results, stuckNamespaces } = destroying ? await destroying.settle(ran) : { results: ran, stuckNamespaces: [] };
    display.close();
    const record = redactDeep(runRecord(start, results, signal, options.promotion ? { promotion: options.promotion } : {}), secrets);
    await workspace.history.append(record);
    reporter.finished(record);
    const insideReleases = operation === "preview" ? await previewInsideReleases(workspace, checked.env, plan.stacks).catch(() => undefined) : undefined;
    const wholeDestroy = operation === "destroy" && record.status === "succeeded" && plan.stacks.length === LAYER_NAMES.filter((l) => checked.env.layers[l].enabled).length;
    const leftovers = wholeDestroy && destroying ? await destroying.afterWholeDestroy(options.purgeCrds).catch((error: Error) => ({ leftoverProblem: error.message })) : {};
    if ("leftoverProblem" in leftovers) say(`error: ${leftovers.leftoverProblem}`);
    if (insideReleases && insideReleases.size > 0) say(formatReleaseChanges(insideReleases));
    return {
      record,
      plan,
      ...(capacity ? { capacity } : {}),
      ...leftovers,
      ...(stuckNamespaces.length > 0 ? { stuckNamespaces } : {}),
      ...(insideReleases ? { releaseChanges: Object.fromEntries(insideReleases) } : {}),
    };
  } catch (error) {
    // The run stopped before any stack ran (the engine could not start): it ends here, not interrupted.
    await workspace.history.append(redactDeep({ ...runRecord(start, [], signal), status: "failed", error: (error as Error).message }, secrets));
    throw error;
  } finally {
    display.close();
    destroying?.close();
    repairCluster?.close();
  }
}

/** Repairs through the environment's cluster, opened when the first stack that runs asks; no cluster yet, nothing to repair. */
function stuckReleaseRepairer(env: EnvironmentSpec, root: string, operation: "up" | "destroy", cluster: ReturnType<typeof lazyCluster>): NonNullable<RunnerOptions["repairReleases"]> {
  let repairer: ReturnType<typeof releaseRepairer> | undefined;
  return async (stack) => {
    const connection = await cluster.get();
    if (!("api" in connection)) return { repaired: [] };
    repairer ??= releaseRepairer({ env, operation, kubeconfig: connection.kubeconfigFile, client: connection.api, chartFolders: archiveFolders(env, root, chartFolders(root)) });
    return repairer(stack);
  };
}

function localKubeconfig(workspace: Workspace, env: EnvironmentSpec): string | undefined {
  return env.target === "local" && env.local ? path.resolve(workspace.root, env.local.kubeconfig) : undefined;
}

/** Per stack, the objects and fields a values change alters inside its releases (local: mirror and API at hand). */
async function previewInsideReleases(workspace: Workspace, env: EnvironmentSpec, stacks: readonly StackId[]) {
  const kubeconfig = localKubeconfig(workspace, env);
  const client = kubeconfig ? localClient(kubeconfig) : undefined;
  return client && env.charts.mirror ? releaseChanges(client, env, path.resolve(workspace.root, env.charts.mirror), stacks) : undefined;
}
