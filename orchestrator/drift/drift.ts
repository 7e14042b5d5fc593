import type { ClusterApi } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import type { StackId } from "../model/stack";
import { releaseObjectDrift } from "../releases/compare-live";
import { deployedReleases, releaseHeads, type ReleaseHeads } from "../releases/release-records";
import type { RunReporter } from "../run/progress";
import { provablyUnchanged } from "../run/skip-unchanged";
import { unchangedFacts } from "../session/history-facts";
import { inRunSession, type RunSession } from "../session/run-session";
import { engineChecks } from "../session/preflight";
import { unreadableReasons } from "../session/unreadable-states";
import type { Workspace } from "../workspace/workspace";
import { detectDrift, withReleaseDrift } from "./detect";
import { realityProof, stackState } from "./live-object-proof";
import { liveView } from "./live-view";
import { releaseCluster } from "./release-cluster";
import { remediateDrift, type DriftCheck, type Remediation } from "./remediate";

export type { DriftCheck, Remediation } from "./remediate";
export { driftFindings, renderDriftTable } from "./render";

export interface DriftRequest {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  /** Run the refresh preview for every stack, even one whose live objects prove it unchanged. */
  readonly refreshAll?: boolean;
}

/**
 * A drift check, and its remediation when asked, in one session under the environment's lock: the
 * engine takes no stack lock for a refresh preview (since 3.229), so only this lock keeps a check off a running up.
 */
export async function driftRun(
  workspace: Workspace,
  request: DriftRequest & { readonly remediate?: "refresh" | "up" },
  reporter: RunReporter,
  signal?: AbortSignal,
  onChecked: (check: DriftCheck) => void = () => {},
): Promise<{ check: DriftCheck; remediation?: Remediation }> {
  const lock = { take: request.remediate ? `drift --remediate ${request.remediate}` : "drift" };
  const checks = engineChecks();
  return inRunSession(workspace, { env: request.env, operation: "preview", layers: request.layers, lock, checks }, reporter, async (session) => {
    const check = await checkDrift(session, request, signal);
    onChecked(check);
    const remediation = request.remediate ? await remediateDrift(session, check, request.remediate, request.parallel, signal) : undefined;
    return { check, ...(remediation ? { remediation } : {}) };
  });
}

/** Checks the session's stacks for drift, inside their Helm releases too; changes nothing. */
async function checkDrift(session: RunSession, request: DriftRequest, signal?: AbortSignal): Promise<DriftCheck> {
  const { workspace, env, plan, reporter } = session;
  const unreadable = unreadableReasons(session.findings.unreadableStates ?? []);
  for (const message of unreadable.values()) reporter.say(`error: ${message}`);
  reporter.say(
    `checking ${plan.stacks.length} stack(s) of ${env.name} for drift (refresh preview + program preview, ${request.parallel} at a time; ` +
      `${request.refreshAll ? "every stack refreshed" : "no refresh where the live objects match state, no program preview where an up would skip"})`,
  );
  const facts = await unchangedFacts(workspace, await session.facts());
  const cluster = await releaseCluster(workspace, env, reporter);
  try {
    const releases = cluster ? deployedReleases(cluster.api, env, plan.stacks) : Promise.resolve([]);
    const codeUnchanged = memoized((stack: StackId) => provablyUnchanged(stack, facts));
    const realityUnchanged =
      cluster && !request.refreshAll ? liveObjectsProve(workspace, cluster.api, codeUnchanged, releases.then((r) => releaseHeads(cluster.api, r.map((x) => x.release)))) : undefined;
    // The releases' objects are read while the engine previews run: neither waits for the other.
    const [engineReport, insideReleases] = await Promise.all([
      detectDrift(workspace, env.name, plan.stacks, request.parallel, signal, { codeUnchanged, unreadable, ...(realityUnchanged ? { realityUnchanged } : {}) }),
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
