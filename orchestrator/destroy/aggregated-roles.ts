import type { EnvironmentSpec } from "../../environments/model";
import type { ClusterApi } from "../kube-client";

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

/** Deletes those roles after a destroy; returns their names for the summary. */
export async function removeReappearedRoles(env: EnvironmentSpec, client: ClusterApi): Promise<string[]> {
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
