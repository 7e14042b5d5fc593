import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { openCluster, type ClusterConnection } from "../cluster/cluster-access";
import type { ClusterApi } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import type { StackId } from "../model/stack";
import { interruptedStacks, lastUps } from "../history/stats";
import { recoveryNote } from "../locks/environment-lock";
import { fingerprintSources } from "../run/fingerprint-inputs";
import { provablyUnchanged } from "../run/skip-unchanged";
import { operate } from "../operate/operate";
import { planRun } from "../plan/plan";
import type { RunRecord } from "../model/run-record";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";
import { detectDrift } from "./detect";
import { driftedStacks, verdict, type DriftReport } from "../model/drift-report";
import { liveView } from "./live-view";
import { releaseHeads, type ReleaseHeads } from "../releases/release-records";
import { realityProof, stackState } from "./live-object-proof";
import { deployedReleases, releaseObjectDrift } from "../releases/compare-live";
import { reapplyRelease } from "../releases/reapply";
import { withReleaseDrift } from "./detect";

export interface DriftRequest {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  /** Run the refresh preview for every stack, even one whose live objects prove it unchanged. */
  readonly refreshAll?: boolean;
}

export interface DriftCheck {
  readonly env: string;
  readonly stacks: readonly StackId[];
  readonly report: DriftReport;
}

export interface Remediation {
  readonly record: RunRecord;
  /** The remediated stacks checked again. */
  readonly after: DriftReport;
}

/**
 * A drift check, and its remediation when asked, under the environment's lock: the engine takes no
 * stack lock for a refresh preview (since 3.229), so only this lock keeps a check off a running up.
 */
export async function driftRun(
  workspace: Workspace,
  request: DriftRequest & { readonly remediate?: "refresh" | "up" },
  reporter: RunReporter,
  signal?: AbortSignal,
  onChecked: (check: DriftCheck) => void = () => {},
): Promise<{ check: DriftCheck; remediation?: Remediation }> {
  const env = loadEnvironment(request.env, { dir: workspace.environmentsDir });
  planRun(env, { operation: "preview", layers: request.layers });
  const lock = await workspace.locks.acquire(env.name, request.remediate ? `drift --remediate ${request.remediate}` : "drift");
  try {
    const recovered = recoveryNote(lock);
    if (recovered) reporter.say(recovered);
    const check = await checkDrift(workspace, request, reporter, signal);
    onChecked(check);
    const remediation = request.remediate ? await remediateDrift(workspace, check, request.remediate, request.parallel, reporter, signal) : undefined;
    return { check, ...(remediation ? { remediation } : {}) };
  } finally {
    await lock.release();
  }
}

/** Checks an environment's stacks for drift; changes nothing. The caller holds the lock. */
export async function checkDrift(workspace: Workspace, request: DriftRequest, reporter: RunReporter, signal?: AbortSignal): Promise<DriftCheck> {
  const env = loadEnvironment(request.env, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation: "preview", layers: request.layers });
  reporter.say(
    `checking ${plan.stacks.length} stack(s) of ${env.name} for drift (refresh preview + program preview, ${request.parallel} at a time; ` +
      `${request.refreshAll ? "every stack refreshed" : "no refresh where the live objects match state, no program preview where an up would skip"})`,
  );
  const fingerprints = fingerprintSources(workspace.root, env);
  const history = await workspace.history.read({ env: env.name });
  const markers = await workspace.records.stateMarkers();
  const facts = {
    ...fingerprints,
    lastUps: lastUps(history),
    markers,
    interrupted: new Set(interruptedStacks(await workspace.history.starts({ env: env.name }), history).keys()),
    locked: (stack: StackId) => workspace.records.stackLocked(stack),
  };
  const cluster = await releaseCluster(workspace, env, reporter);
  try {
    const releases = cluster ? deployedReleases(cluster.api, env, plan.stacks) : Promise.resolve([]);
    const codeUnchanged = memoized((stack: StackId) => provablyUnchanged(stack, facts));
    const realityUnchanged =
      cluster && !request.refreshAll ? liveObjectsProve(workspace, cluster.api, codeUnchanged, releases.then((r) => releaseHeads(cluster.api, r.map((x) => x.release)))) : undefined;
    // The releases' objects are read while the engine previews run: neither waits for the other.
    const [engineReport, insideReleases] = await Promise.all([
      detectDrift(workspace, env.name, plan.stacks, request.parallel, signal, { codeUnchanged, ...(realityUnchanged ? { realityUnchanged } : {}) }),
      cluster ? releases.then((r) => releaseObjectDrift(cluster.api, r)) : new Map<string, ResourceChange[]>(),
    ]);
    return { env: env.name, stacks: plan.stacks, report: withReleaseDrift(engineReport, insideReleases) };
  } finally {
    cluster?.close();
  }
}

/**
 * A stack's refresh preview is proven empty when its state matches the live objects field for
 * field and its stack references are unchanged (which an unchanged fingerprint proves).
 */
function liveObjectsProve(workspace: Workspace, client: ClusterApi, codeUnchanged: (stack: StackId) => Promise<boolean>, heads: Promise<ReleaseHeads>) {
  return async (stack: StackId): Promise<boolean> => {
    if (!(await codeUnchanged(stack))) return false;
    const state = stackState(await workspace.records.readState(stack));
    return realityProof(state, await liveView(client, state, await heads)).proven;
  };
}

function memoized<T>(compute: (stack: StackId) => Promise<T>): (stack: StackId) => Promise<T> {
  const known = new Map<string, Promise<T>>();
  return (stack) => {
    if (!known.has(stack.name)) known.set(stack.name, compute(stack));
    return known.get(stack.name)!;
  };
}

/** The cluster whose releases' objects are compared: local by its token, any other through the foundation's kubeconfig. */
async function releaseCluster(workspace: Workspace, env: EnvironmentSpec, reporter: RunReporter): Promise<ClusterConnection | undefined> {
  const opened = await openCluster(env, workspace.root, workspace.engine).catch((error: Error) => ({ unavailable: error.message }));
  if ("api" in opened) return opened;
  reporter.say(`objects inside Helm releases are not compared: ${env.name}'s cluster cannot be reached (${opened.unavailable})`);
  return undefined;
}

/** Per stack, the drift of the objects inside its deployed Helm releases (their manifests against the live objects). */
async function objectsInsideReleases(client: ClusterApi | undefined, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<Map<string, ResourceChange[]>> {
  return client ? releaseObjectDrift(client, await deployedReleases(client, env, stacks)) : new Map();
}

/**
 * For the drifted stacks only: `refresh` accepts reality into state, `up` puts reality back to
 * the code; then checks them again. Undefined when nothing drifted or the check itself failed.
 * The caller holds the environment's lock.
 */
export async function remediateDrift(workspace: Workspace, check: DriftCheck, how: "refresh" | "up", parallel: number, reporter: RunReporter, signal?: AbortSignal): Promise<Remediation | undefined> {
  const drifted = driftedStacks(check.report);
  if (drifted.length === 0 || verdict(check.report) === "error") return undefined;
  const stacks = check.stacks.filter((s) => drifted.includes(s.name));
  reporter.say(`remediating ${drifted.join(", ")} with ${how === "refresh" ? "refresh (accept reality into state)" : "up --refresh (put reality back to the code)"}`);
  const env = loadEnvironment(check.env, { dir: workspace.environmentsDir });
  const cluster = await releaseCluster(workspace, env, reporter);
  try {
    // An up cannot see inside an opaque release: the drifted release's own revision is applied again first.
    if (how === "up" && cluster) await reapplyDriftedReleases(cluster, env, stacks, check.report, (line) => reporter.say(line));
    const run = await operate(workspace, how, { env: check.env, layers: stacks.map((s) => s.layer), parallel, force: true, refresh: how === "up", lockHeld: true }, reporter, signal);
    const [engineReport, releases] = await Promise.all([detectDrift(workspace, check.env, stacks, parallel, signal), objectsInsideReleases(cluster?.api, env, stacks)]);
    const after = withReleaseDrift(engineReport, releases);
    return { record: run.record, after };
  } finally {
    cluster?.close();
  }
}

async function reapplyDriftedReleases(cluster: ClusterConnection, env: EnvironmentSpec, stacks: readonly StackId[], report: DriftReport, say: (line: string) => void): Promise<void> {
  const driftedReleases = new Set(report.stacks.flatMap((s) => s.drift.filter((c) => c.urn.startsWith("helm:")).map((c) => c.urn.slice(5, c.urn.indexOf("::")))));
  for (const { release } of await deployedReleases(cluster.api, env, stacks)) {
    if (!driftedReleases.has(release.name)) continue;
    say(`re-applying Helm release ${release.namespace}/${release.name} revision ${release.version}`);
    await reapplyRelease(release, cluster.kubeconfigFile);
  }
}
