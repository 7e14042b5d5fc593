import pLimit from "p-limit";
import type { EnvironmentSpec } from "../../environments/model";
import { helmRollback } from "../helm/helm-cli";
import { releaseOwners } from "../helm/release-records";
import type { ClusterApi } from "../kube-client";
import type { ResourceChange, StackId } from "../engine";
import type { DriftReport } from "./detect";
import { decodeReleaseSecret, manifestObjects, objectDrift, objectPath, type HelmRelease, type KubeObject } from "./release-objects";

/** A deployed Helm release and the stack whose program installed it. */
export interface StackRelease {
  readonly stack: string;
  readonly release: HelmRelease;
}

/**
 * The deployed releases of the given stacks, read from Helm's release Secrets. A `helm.v3.Release`
 * refreshes only this record, so drift compares its manifest with the live objects itself.
 */
export async function deployedReleases(client: ClusterApi, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<StackRelease[]> {
  const owner = releaseOwners(env, stacks);
  type ReleaseSecret = { metadata: { labels?: Record<string, string> }; data?: { release?: string } };
  const secrets = await client.get<{ items: ReleaseSecret[] }>("/api/v1/secrets?labelSelector=owner%3Dhelm%2Cstatus%3Ddeployed");
  return (secrets?.items ?? []).flatMap((secret) => {
    const stack = owner.get(secret.metadata.labels?.name ?? "");
    return stack && secret.data?.release ? [{ stack, release: decodeReleaseSecret(secret.data.release) }] : [];
  });
}

/** Per stack, the objects inside its releases that differ from what Helm installed. */
export async function releaseObjectDrift(client: ClusterApi, releases: readonly StackRelease[]): Promise<Map<string, ResourceChange[]>> {
  const limit = pLimit(8);
  const drift = new Map<string, ResourceChange[]>();
  await Promise.all(
    releases.flatMap(({ stack, release }) =>
      manifestObjects(release).map((object) =>
        limit(async () => {
          const live = await liveObject(client, object);
          if (live === "unknown-kind") return;
          const change = objectDrift(release.name, object, live);
          if (change) drift.set(stack, [...(drift.get(stack) ?? []), change]);
        }),
      ),
    ),
  );
  return drift;
}

async function liveObject(client: ClusterApi, object: KubeObject): Promise<KubeObject | undefined | "unknown-kind"> {
  const path = objectPath(object);
  const live = await client.get<KubeObject>(path);
  if (live) return live;
  // A 404 on the collection too means the API path guess does not fit this kind: not a missing object.
  const collection = await client.get<unknown>(`${path.slice(0, path.lastIndexOf("/"))}?limit=1`);
  return collection ? undefined : "unknown-kind";
}

/** The report with release-object drift added to each stack's reality drift. Pure. */
export function withReleaseDrift(report: DriftReport, drift: ReadonlyMap<string, readonly ResourceChange[]>): DriftReport {
  return { ...report, stacks: report.stacks.map((s) => (drift.has(s.stack) ? { ...s, drift: [...s.drift, ...drift.get(s.stack)!] } : s)) };
}

/**
 * Re-applies a release's current revision: Helm's three-way merge puts changed fields back and
 * recreates deleted objects, without changing what the release installs. A merge cannot undo every
 * edit (a Service port changed in place merges into a second port of the same name, which the API
 * refuses); then the revision is applied again with --force, which replaces the objects.
 */
export async function reapplyRelease(release: HelmRelease, kubeconfig: string): Promise<void> {
  try {
    await helmRollback(release, release.version, kubeconfig);
  } catch (merged) {
    await helmRollback(release, release.version, kubeconfig, { force: true }).catch((replaced: Error) => {
      throw new Error(`${(merged as Error).message}; with --force: ${replaced.message}`);
    });
  }
}
