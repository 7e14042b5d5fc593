import pLimit from "p-limit";
import type { ClusterApi } from "../kube-client";
import { releaseRevisions } from "../helm/release-records";
import { isKubeObject, type LiveView, type StackState } from "./reality-proof";
import { objectPath, type HelmRelease, type KubeObject } from "./release-objects";

export type ReleaseHeads = ReadonlyMap<string, { readonly version: number; readonly status: string }>;

/**
 * The newest revision of every release: the deployed ones the caller already read, and the few
 * records neither deployed nor superseded (failed, pending), listed by their labels.
 */
export async function releaseHeads(client: ClusterApi, deployed: readonly HelmRelease[]): Promise<ReleaseHeads> {
  const others = await releaseRevisions(client, "status!=deployed,status!=superseded");
  const heads = new Map<string, { version: number; status: string }>();
  for (const { name, namespace, version, status } of [...deployed.map((r) => ({ ...r, status: "deployed" })), ...others]) {
    const id = `${namespace}/${name}`;
    if ((heads.get(id)?.version ?? 0) < version) heads.set(id, { version, status });
  }
  return heads;
}

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
