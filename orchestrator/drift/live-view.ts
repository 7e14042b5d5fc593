import pLimit from "p-limit";
import type { ClusterApi } from "../kube-client";
import type { LiveView, StackState } from "./reality-proof";
import { objectPath, type HelmRelease, type KubeObject } from "./release-objects";

export type ReleaseHeads = ReadonlyMap<string, { readonly version: number; readonly status: string }>;

/**
 * The newest revision of every release: the deployed ones the caller already read, and the few
 * records neither deployed nor superseded (failed, pending), listed by label without their bodies
 * being needed.
 */
export async function releaseHeads(client: ClusterApi, deployed: readonly HelmRelease[]): Promise<ReleaseHeads> {
  type Labels = { metadata: { namespace?: string; labels?: Record<string, string> } };
  const others = await client.get<{ items: Labels[] }>("/api/v1/secrets?labelSelector=owner%3Dhelm%2Cstatus%21%3Ddeployed%2Cstatus%21%3Dsuperseded");
  const heads = new Map<string, { version: number; status: string }>();
  const see = (id: string, version: number, status: string) => {
    if ((heads.get(id)?.version ?? 0) < version) heads.set(id, { version, status });
  };
  for (const release of deployed) see(`${release.namespace}/${release.name}`, release.version, "deployed");
  for (const { metadata } of others?.items ?? []) {
    const { name, status, version } = metadata.labels ?? {};
    if (name && status && version && metadata.namespace) see(`${metadata.namespace}/${name}`, Number(version), status);
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
      .map((r) => r.outputs as KubeObject | undefined)
      .filter((o): o is KubeObject => typeof o?.apiVersion === "string" && typeof o.kind === "string" && typeof o.metadata?.name === "string")
      .map((o) => limit(async () => objects.set(objectPath(o), await client.get<KubeObject>(objectPath(o))))),
  );
  return { object: (resource) => objects.get(objectPath(resource)), releaseHead: (id) => heads.get(id) };
}
