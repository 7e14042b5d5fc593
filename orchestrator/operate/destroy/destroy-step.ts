import type { EnvironmentSpec } from "../../../environments/model";
import { chartFolders } from "../../releases/chart-archives";
import { openCluster, type ClusterConnection } from "../../cluster/cluster-access";
import { deployedReleases } from "../../releases/release-records";
import { manifestObjects } from "../../releases/release-objects";
import type { ClusterApi } from "../../cluster/kube-client";
import { aggregatedRoleNames, removeReappearedRoles } from "../../releases/aggregated-roles";
import type { StackEngine } from "../../engine/stack-engine";
import type { StackId } from "../../model/stack";
import type { StackRunResult } from "../../model/run-record";
import { blameStuckNamespaces } from "./blame";
import { chartCrds } from "./chart-crds";
import { formatKeptCrds, platformCrds, purgeWarning, type KeptCrd } from "./crd-leftovers";
import { countCustomResources, liveCrds, purgeCrds } from "./crd-purge";
import type { StuckLayerNamespace } from "./namespace-causes";
import { watchNamespaces, type NamespaceWatch } from "./namespace-watch";

/** Asks whether CRDs may be purged, after the warning was shown; the CLI decides how. */
export type PurgeConfirmation = (warning: string) => Promise<boolean>;

/** What a destroy found on the cluster, for the summary and --json. */
export interface DestroyFindings {
  readonly stuckNamespaces?: readonly StuckLayerNamespace[];
  readonly keptCrds?: readonly KeptCrd[];
  readonly purgedCrds?: readonly string[];
}

export interface DestroyStep {
  /** Stops the namespace watch; failed stacks whose namespace is stuck Terminating are blamed on it. */
  settle(results: StackRunResult[]): Promise<{ results: StackRunResult[]; stuckNamespaces: StuckLayerNamespace[] }>;
  /** After every stack of the environment was destroyed: what is left on the cluster, purged when confirmed. */
  afterWholeDestroy(purge?: PurgeConfirmation): Promise<Omit<DestroyFindings, "stuckNamespaces">>;
  close(): void;
}

interface SessionIo {
  readonly say: (line: string) => void;
  /** A line about one stack while the run's progress is shown. */
  readonly note: (stack: string, line: string) => void;
}

/**
 * What a destroy does on the cluster besides the engine's work: it watches the namespaces of the
 * stacks it removes, and afterwards reports what Helm left behind. Opened before the first stack
 * runs, since a cloud cluster is reached through the kubeconfig the foundation stack exports.
 */
export async function openDestroyStep(env: EnvironmentSpec, root: string, engine: Pick<StackEngine, "outputs">, stacks: readonly StackId[], io: SessionIo): Promise<DestroyStep> {
  const opened = await openCluster(env, root, engine).catch((error: Error) => ({ unavailable: error.message }));
  const cluster: ClusterConnection | undefined = "api" in opened ? opened : undefined;
  if (!cluster) io.say(`destroy ${env.name}: namespaces are not watched and leftovers not listed: ${"unavailable" in opened ? opened.unavailable : ""}`);
  const watch: NamespaceWatch | undefined = cluster
    ? watchNamespaces(cluster.api, { layers: new Set(stacks.map((s) => s.layer)), note: (layer, line) => io.note(stacks.find((s) => s.layer === layer)?.name ?? env.name, line) })
    : undefined;
  const foundationDestroyed = stacks.some((s) => s.layer === "foundation");
  // Read before the releases go: their manifests name the aggregated roles to look for afterwards.
  const releaseRoles = cluster && !(env.target !== "local" && foundationDestroyed) ? rolesOfReleases(cluster.api, env, stacks) : Promise.resolve([]);

  let destroyedRoles: ReleaseRoles[] = [];
  const sweepRoles = async () => {
    if (!cluster || destroyedRoles.length === 0) return;
    const releases = new Set(destroyedRoles.map((r) => r.release));
    const removed = await removeReappearedRoles(cluster.api, releases, new Set(destroyedRoles.flatMap((r) => r.roles))).catch(() => []);
    if (removed.length > 0) io.say(`removed ${removed.length} aggregated ClusterRole(s) the aggregation controller re-created after Helm deleted them: ${removed.join(", ")}`);
  };

  return {
    async settle(results) {
      const stuckNamespaces = (await watch?.stop()) ?? [];
      // After any destroy, partial too: a role left here stops the next install of its release.
      const destroyedLayers = new Set<string>(results.filter((r) => r.outcome.status === "succeeded").map((r) => r.stack.layer));
      destroyedRoles = (await releaseRoles).filter((r) => destroyedLayers.has(r.layer));
      await sweepRoles();
      return { results: blameStuckNamespaces(results, stuckNamespaces), stuckNamespaces };
    },
    async afterWholeDestroy(purge) {
      if (!cluster) return {};
      // The cluster of a cloud environment goes with its foundation stack: nothing is left on it.
      if (env.target !== "local" && foundationDestroyed) {
        io.say(`the cluster of ${env.name} was destroyed with its foundation stack: no CRDs are left on it`);
        return { keptCrds: [] };
      }
      try {
        return await leftCrds(env, root, cluster.api, io, purge);
      } finally {
        // Last, right before the command ends: the aggregation controller can re-create a role for a few seconds after Helm's delete.
        await sweepRoles();
      }
    },
    close() {
      void watch?.stop();
      cluster?.close();
    },
  };
}

interface ReleaseRoles {
  readonly layer: StackId["layer"];
  readonly release: string;
  readonly roles: readonly string[];
}

async function rolesOfReleases(api: ClusterApi, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<ReleaseRoles[]> {
  const layerOf = new Map(stacks.map((s) => [s.name, s.layer]));
  const releases = await deployedReleases(api, env, stacks).catch(() => []);
  return releases.map(({ stack, release }) => ({ layer: layerOf.get(stack)!, release: release.name, roles: aggregatedRoleNames(manifestObjects(release)) }));
}

/** The CRDs of the platform's charts still on the cluster, and their purge once confirmed. */
async function leftCrds(env: EnvironmentSpec, root: string, api: ClusterApi, io: SessionIo, purge?: PurgeConfirmation): Promise<Omit<DestroyFindings, "stuckNamespaces">> {
  const charts = await chartCrds(env, root, chartFolders(root));
  if (charts.unknown.length > 0) io.say(`CRDs shipped in crds/ of ${charts.unknown.join(", ")} cannot be listed: no archive of them at hand (set PLATFORM_CHART_SOURCE)`);
  const live = await liveCrds(api);
  const kept = platformCrds(live, charts.crds, charts.releases);
  io.say(formatKeptCrds(kept));
  if (!purge || kept.length === 0) return { keptCrds: kept };
  const keptViews = live.filter((crd) => kept.some((k) => k.name === crd.metadata.name));
  if (!(await purge(purgeWarning(await countCustomResources(api, keptViews))))) {
    io.say("CRDs not purged: not confirmed");
    return { keptCrds: kept };
  }
  io.say(`purging ${kept.length} CRD(s) and their custom resources...`);
  const { purged, remaining } = await purgeCrds(api, kept.map((k) => k.name), { timeoutMs: 180_000, say: io.say });
  io.say(`purged ${purged.length} CRD(s): ${purged.join(", ")}`);
  if (remaining.length > 0) throw new Error(`${remaining.length} CRD(s) still present 180 s after their deletion: ${remaining.join(", ")}; a custom resource's finalizer holds them (kubectl get <plural> -A)`);
  return { keptCrds: [], purgedCrds: purged };
}
