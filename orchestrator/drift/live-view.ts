import pLimit from "p-limit";
import type { ClusterApi } from "../cluster/kube-client";
import type { ReleaseHeads } from "../releases/release-records";
import { isKubeObject, type LiveView, type StackState } from "./live-object-proof";
import { objectPath, type KubeObject } from "../releases/release-objects";

/** Reads, once each, the live objects behind a stack's Kubernetes resources. */
export async function liveView(client: ClusterApi, state: StackState, heads: ReleaseHeads): Promise<LiveView> {
  const objects = new Map<string, KubeObject | undefined>();
  const limit = pLimit(8);
  await Promise.all(
    state.resources
      .filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== "kubernetes:helm.sh/v3:Release")
      .map((r) => r.outputs ?? {})
      .filter(isKubeObject)
      .map((o) => limit(async () => objects.set(objectPath(o), await client.get<KubeObject>(objectPath(o))))),
  );
  return { object: (resource) => objects.get(objectPath(resource)), releaseHead: (id) => heads.get(id) };
}
