import type { ClusterApi } from "../../cluster/kube-client";
import { customResourcesPath, type CrdView } from "./crd-leftovers";

const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** The live CRDs of the cluster. */
export async function liveCrds(api: ClusterApi): Promise<CrdView[]> {
  return (await api.get<{ items: CrdView[] }>(CRDS))?.items ?? [];
}

/** How many custom resources of each CRD exist in every namespace; undefined where the list fails. */
export async function countCustomResources(api: ClusterApi, crds: readonly CrdView[]): Promise<{ name: string; customResources: number | undefined }[]> {
  return Promise.all(
    crds.map(async (crd) => ({
      name: crd.metadata.name,
      customResources: await api.get<{ items: unknown[] }>(customResourcesPath(crd)).then((list) => list?.items.length ?? 0, () => undefined),
    })),
  );
}

/**
 * Deletes the CRDs and waits until the API no longer has them (the API server first deletes
 * their custom resources, which can take a while or hang on a custom resource's finalizer).
 */
export async function purgeCrds(api: ClusterApi, names: readonly string[], options: { timeoutMs: number; say: (line: string) => void; pollMs?: number }): Promise<{ purged: string[]; remaining: string[] }> {
  for (const name of names) await api.delete(`${CRDS}/${name}`);
  const started = Date.now();
  let remaining = [...names];
  let lastSaid = started;
  while (remaining.length > 0 && Date.now() - started < options.timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    const present = await Promise.all(remaining.map(async (name) => ((await api.get(`${CRDS}/${name}`)) === undefined ? undefined : name)));
    remaining = present.filter((name): name is string => name !== undefined);
    if (remaining.length > 0 && Date.now() - lastSaid >= 15_000) {
      lastSaid = Date.now();
      options.say(`waiting for ${remaining.length} CRD(s) to go (${Math.round((lastSaid - started) / 1000)} s): ${remaining.slice(0, 5).join(", ")}${remaining.length > 5 ? ", ..." : ""}`);
    }
  }
  return { purged: names.filter((name) => !remaining.includes(name)), remaining };
}
