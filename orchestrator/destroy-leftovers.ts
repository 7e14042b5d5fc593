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

interface ClusterRoleView {
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly aggregationRule?: unknown;
}

/**
 * Aggregated ClusterRoles of the given releases still present after their uninstall: Kubernetes'
 * aggregation controller applies (server-side) the roles it aggregates into, and an apply racing
 * Helm's delete creates the role again. Pure.
 */
export function reappearedAggregatedRoles(roles: readonly ClusterRoleView[], releases: ReadonlySet<string>): string[] {
  return roles.filter((role) => role.aggregationRule && releases.has(role.metadata.annotations?.["meta.helm.sh/release-name"] ?? "")).map((role) => role.metadata.name);
}

/** Deletes those roles after a local destroy; returns their names for the summary. */
export async function removeReappearedRoles(env: EnvironmentSpec, root: string): Promise<string[]> {
  const client = env.target === "local" && env.local ? localClient(path.resolve(root, env.local.kubeconfig)) : undefined;
  if (!client) return [];
  const releases = new Set(Object.values(env.layers).flatMap((layer) => Object.values(layer.components).map((c) => c.chart.name)));
  // The aggregation controller can re-create a role a moment after it was removed: look again until a check finds none.
  const removed = new Set<string>();
  for (let round = 0; round < 10; round++) {
    const roles = await client.get<{ items: ClusterRoleView[] }>("/apis/rbac.authorization.k8s.io/v1/clusterroles");
    const names = reappearedAggregatedRoles(roles?.items ?? [], releases);
    if (names.length === 0 && round >= 2) break;
    for (const name of names) {
      await client.delete(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`);
      removed.add(name);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return [...removed];
}
