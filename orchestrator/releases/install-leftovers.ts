import { installedValues } from "./release-values";
import { layerNamespace } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import { findArchive } from "./chart-archives";
import { helmTemplate } from "./helm-template";
import { aggregatedRoleNames } from "./aggregated-roles";
import type { StackId } from "../model/stack";
import type { ClusterApi } from "../cluster/kube-client";
import { installBlockingLeftovers, isAggregationLeftover, leftoverNote, type LiveClusterRole } from "./aggregation-leftovers";

const CLUSTER_ROLES = "/apis/rbac.authorization.k8s.io/v1/clusterroles";

export interface ClearedLeftovers {
  /** A note per release whose leftovers were removed. */
  readonly notes: readonly string[];
  /** Why leftovers went unchecked. */
  readonly unchecked: readonly string[];
}

export interface InstallLeftoverContext {
  readonly env: EnvironmentSpec;
  readonly client: ClusterApi;
  /** Folders holding chart archives, the environment's mirror first. */
  readonly chartFolders: readonly string[];
}

/**
 * Before an up installs releases that have no record on the cluster: aggregated ClusterRoles such a
 * release's chart makes that a destroy killed before its sweep left behind, as the aggregation
 * controller re-created them, are removed, or the install stops on them. The cluster's roles are
 * listed once per run; a chart is rendered only when a leftover of that shape exists. Returns a note
 * per release that had some removed, and why any went unchecked.
 */
export function installLeftoverClearer(context: InstallLeftoverContext): (stack: StackId, releases: readonly string[]) => Promise<ClearedLeftovers> {
  let leftovers: Promise<LiveClusterRole[] | Error> | undefined;
  const deleted = new Set<string>();
  return async (stack, releases) => {
    const none = { notes: [], unchecked: [] };
    if (releases.length === 0) return none;
    leftovers ??= context.client
      .get<{ items: LiveClusterRole[] }>(CLUSTER_ROLES)
      .then((list) => (list?.items ?? []).filter(isAggregationLeftover))
      .catch((error: Error) => error);
    const listed = await leftovers;
    if (listed instanceof Error) return { notes: [], unchecked: [`ClusterRoles not checked for leftovers of the aggregation controller: cannot list them (${listed.message.slice(0, 200)})`] };
    const live = listed.filter((role) => !deleted.has(role.metadata.name));
    if (live.length === 0) return none;
    const notes: string[] = [];
    const unchecked: string[] = [];
    for (const release of releases) {
      const chartRoles = await chartAggregatedRoles(context, stack, release);
      if (typeof chartRoles === "string") {
        unchecked.push(`${release}: ClusterRole(s) ${live.map((r) => r.metadata.name).join(", ")} look left by Kubernetes' aggregation controller, but ${chartRoles}, so none was removed; if the install stops on one, delete it (kubectl delete clusterrole <name>)`);
        continue;
      }
      const blocking = installBlockingLeftovers(live, chartRoles);
      for (const name of blocking) {
        await context.client.delete(`${CLUSTER_ROLES}/${name}`);
        deleted.add(name);
      }
      if (blocking.length > 0) notes.push(leftoverNote(release, blocking));
    }
    return { notes, unchecked };
  };
}

/** The aggregated ClusterRoles the release's chart renders with the environment's values, or why they are unknown. */
async function chartAggregatedRoles(context: InstallLeftoverContext, stack: StackId, release: string): Promise<ReadonlySet<string> | string> {
  const [key, settings] = Object.entries(context.env.layers[stack.layer].components).find(([, c]) => c.enabled && c.chart.name === release) ?? [];
  if (!key || !settings) return `the release is not a component of ${stack.name}`;
  const archive = findArchive(context.chartFolders, settings.chart);
  if (!archive) return `no archive of ${settings.chart.name} ${settings.chart.version} is at hand to show they are the release's own`;
  const rendered = await helmTemplate(archive, release, layerNamespace(stack.layer, context.env.target), installedValues(context.env, key, settings));
  if (!rendered.ok) return `the chart does not render (${rendered.error.split("\n")[0]!.slice(0, 200)})`;
  return new Set(aggregatedRoleNames(rendered.objects));
}
