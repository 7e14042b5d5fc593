import pLimit from "p-limit";
import type { StackRelease } from "./release-records";
import type { ClusterApi } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import { manifestObjects, objectDrift, objectPath, type KubeObject } from "./release-objects";

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
