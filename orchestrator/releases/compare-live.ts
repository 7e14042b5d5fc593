import pLimit from "p-limit";
import type { EnvironmentSpec } from "../../environments/model";
import { releaseOwners } from "./release-records";
import type { ClusterApi } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import type { StackId } from "../model/stack";
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
