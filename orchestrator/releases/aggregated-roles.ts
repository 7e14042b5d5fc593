import type { ClusterApi } from "../cluster/kube-client";

interface ClusterRoleView {
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly aggregationRule?: unknown;
}

const RELEASE_ANNOTATION = "meta.helm.sh/release-name";

/**
 * ClusterRoles of uninstalled releases still present after a destroy. Kubernetes' aggregation
 * controller applies the roles it aggregates into: an apply racing Helm's delete creates the role
 * again, with Helm's annotation, or after it, as a bare role with the same name and no owner at all.
 * Left behind, such a role stops the next install ("exists and cannot be imported"). `releaseRoles`
 * are the aggregated role names the releases' manifests held before the destroy. Pure.
 */
export function reappearedAggregatedRoles(roles: readonly ClusterRoleView[], releases: ReadonlySet<string>, releaseRoles: ReadonlySet<string> = new Set()): string[] {
  return roles
    .filter((role) => {
      const owner = role.metadata.annotations?.[RELEASE_ANNOTATION];
      if (role.aggregationRule && owner !== undefined && releases.has(owner)) return true;
      return releaseRoles.has(role.metadata.name) && (owner === undefined || releases.has(owner));
    })
    .map((role) => role.metadata.name);
}

/** Names of the aggregated ClusterRoles in rendered release objects. Pure. */
export function aggregatedRoleNames(objects: readonly { kind?: string; metadata?: { name?: string }; aggregationRule?: unknown }[]): string[] {
  return objects.filter((o) => o.kind === "ClusterRole" && o.aggregationRule && o.metadata?.name).map((o) => o.metadata!.name!);
}

/** Deletes those roles after the given releases were uninstalled; returns their names for the summary. */
export async function removeReappearedRoles(client: ClusterApi, releases: ReadonlySet<string>, releaseRoles: ReadonlySet<string>): Promise<string[]> {
  // The aggregation controller can re-create a role a moment after it was removed: look again until a check finds none.
  const removed = new Set<string>();
  for (let round = 0; round < 10; round++) {
    const roles = await client.get<{ items: ClusterRoleView[] }>("/apis/rbac.authorization.k8s.io/v1/clusterroles");
    const names = reappearedAggregatedRoles(roles?.items ?? [], releases, releaseRoles);
    if (names.length === 0 && round >= 4) break;
    for (const name of names) {
      await client.delete(`/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`);
      removed.add(name);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return [...removed];
}
