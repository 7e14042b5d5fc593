import * as path from "node:path";
import type { EnvironmentSpec } from "../environments/model";
import { localClient } from "./kube-client";

/**
 * CRDs still on the cluster after a destroy: Helm keeps a chart's `crds/` files and CRDs marked
 * `helm.sh/resource-policy: keep`, by design, so custom resources elsewhere survive an uninstall.
 * Only where the API is reachable with a token (local), whose cluster has no CRDs of its own.
 */
export async function crdsKeptByHelm(env: EnvironmentSpec, root: string): Promise<string[] | undefined> {
  const client = env.target === "local" && env.local ? localClient(path.resolve(root, env.local.kubeconfig)) : undefined;
  if (!client) return undefined;
  const list = await client.get<{ items: { metadata: { name: string } }[] }>("/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
  return (list?.items ?? []).map((crd) => crd.metadata.name).sort();
}

/** The destroy summary's line about them. Pure. */
export function formatKeptCrds(crds: readonly string[]): string {
  if (crds.length === 0) return "kept by Helm: no CRDs";
  return `kept by Helm by design (chart crds/ and resource-policy keep): ${crds.length} CRDs: ${crds.join(", ")}`;
}
