import type { EnvironmentSpec } from "../../environments/model";
import type { ClusterConnection } from "../cluster/cluster-access";
import type { ClusterApi } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import { driftedStacks, verdict, type DriftReport } from "../model/drift-report";
import type { RunRecord } from "../model/run-record";
import type { StackId } from "../model/stack";
import { operate } from "../operate/operate";
import { releaseObjectDrift } from "../releases/compare-live";
import { deployedReleases } from "../releases/release-records";
import { reapplyRelease } from "../releases/reapply";
import type { RunSession } from "../session/run-session";
import { detectDrift, withReleaseDrift } from "./detect";
import { releaseCluster } from "./release-cluster";

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
 * For the drifted stacks only: `refresh` accepts reality into state, `up` puts reality back to
 * the code; then checks them again. Undefined when nothing drifted or the check itself failed.
 * Runs within the drift command's session, under its lock.
 */
export async function remediateDrift(session: RunSession, check: DriftCheck, how: "refresh" | "up", parallel: number, signal?: AbortSignal): Promise<Remediation | undefined> {
  const { workspace, env, reporter } = session;
  const drifted = driftedStacks(check.report);
  if (drifted.length === 0 || verdict(check.report) === "error") return undefined;
  const stacks = check.stacks.filter((s) => drifted.includes(s.name));
  reporter.say(`remediating ${drifted.join(", ")} with ${how === "refresh" ? "refresh (accept reality into state)" : "up --refresh (put reality back to the code)"}`);
  const cluster = await releaseCluster(workspace, env, reporter);
  try {
    // An up cannot see inside an opaque release: the drifted release's own revision is applied again first.
    if (how === "up" && cluster) await reapplyDriftedReleases(cluster, env, stacks, check.report, (line) => reporter.say(line));
    const run = await operate(workspace, how, { env: check.env, layers: stacks.map((s) => s.layer), parallel, force: true, refresh: how === "up", lockHeld: true }, reporter, signal);
    const [engineReport, releases] = await Promise.all([detectDrift(workspace, check.env, stacks, parallel, signal), objectsInsideReleases(cluster?.api, env, stacks)]);
    return { record: run.record, after: withReleaseDrift(engineReport, releases) };
  } finally {
    cluster?.close();
  }
}

/** Per stack, the drift of the objects inside its deployed Helm releases (their manifests against the live objects). */
async function objectsInsideReleases(client: ClusterApi | undefined, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<Map<string, ResourceChange[]>> {
  return client ? releaseObjectDrift(client, await deployedReleases(client, env, stacks)) : new Map();
}

async function reapplyDriftedReleases(cluster: ClusterConnection, env: EnvironmentSpec, stacks: readonly StackId[], report: DriftReport, say: (line: string) => void): Promise<void> {
  const driftedReleases = new Set(report.stacks.flatMap((s) => s.drift.filter((c) => c.urn.startsWith("helm:")).map((c) => c.urn.slice(5, c.urn.indexOf("::")))));
  for (const { release } of await deployedReleases(cluster.api, env, stacks)) {
    if (!driftedReleases.has(release.name)) continue;
    say(`re-applying Helm release ${release.namespace}/${release.name} revision ${release.version}`);
    await reapplyRelease(release, cluster.kubeconfigFile);
  }
}
