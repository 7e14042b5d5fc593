import type { EnvironmentSpec } from "../../environments/model";
import type { StackId } from "../model/stack";
import type { ClusterApi } from "../cluster/kube-client";
import { aggregatedRoleNames, removeReappearedRoles } from "./aggregated-roles";
import { decodeReleaseSecret, manifestObjects } from "./release-objects";
import { helmRollback, helmUninstall, type ReleaseRef } from "./helm-cli";
import { installLeftoverClearer } from "./install-leftovers";
import { releaseOwners, releaseRevisions } from "./release-records";
import { releaseRepairs, repairNote, type ReleaseRepair, type ReleaseRevision } from "./stuck-releases";

export interface ReleaseRepairContext {
  readonly env: EnvironmentSpec;
  readonly operation: "up" | "destroy";
  /** The cluster's kubeconfig file, for the helm CLI; never read into a message. */
  readonly kubeconfig: string;
  /** Reads Helm's release records on the same cluster. */
  readonly client: ClusterApi;
  /** Folders holding chart archives, the environment's mirror first: an up renders a release's chart from them to recognise its leftovers. */
  readonly chartFolders: readonly string[];
}

/** What the repair did for one stack: a note per repaired release, or why its releases went unchecked. */
export interface StackReleaseRepair {
  readonly repaired: readonly string[];
  readonly unchecked?: string;
}

/**
 * Before a stack runs: the Helm releases it owns that a killed run left pending, failed or
 * uninstalling are rolled back to their last deployed revision, or uninstalled when none was ever
 * deployed. Before an up, the leftovers that would stop the install of a release with no record are
 * removed (`install-leftovers.ts`). Helm's records are listed once, at the first call, for the whole
 * run. Throws naming the release and the helm command when a repair fails.
 */
export function releaseRepairer(context: ReleaseRepairContext): (stack: StackId) => Promise<StackReleaseRepair> {
  let listed: Promise<ReleaseRevision[] | Error> | undefined;
  const clearLeftovers = installLeftoverClearer(context);
  return async (stack) => {
    listed ??= releaseRevisions(context.client).catch((error: Error) => error);
    const revisions = await listed;
    if (revisions instanceof Error) return { repaired: [], unchecked: `Helm releases not checked for a stuck revision: cannot list Helm's records (${revisions.message.slice(0, 200)})` };
    const owned = releaseOwners(context.env, [stack]);
    const repairs = releaseRepairs(revisions.filter((revision) => owned.has(revision.name)));
    for (const repair of repairs) await applyRepair(repair, context.kubeconfig, context.client);
    // A release repaired here had its own roles swept after its uninstall.
    const notInstalled = [...owned.keys()].filter((release) => !revisions.some((revision) => revision.name === release));
    const cleared = context.operation === "up" ? await clearLeftovers(stack, notInstalled) : { notes: [], unchecked: [] };
    const repaired = [...repairs.map((repair) => repairNote(repair, context.operation)), ...cleared.notes];
    return { repaired, ...(cleared.unchecked.length > 0 ? { unchecked: cleared.unchecked.join("; ") } : {}) };
  };
}

async function applyRepair(repair: ReleaseRepair, kubeconfig: string, client: ClusterApi): Promise<void> {
  const release = { name: repair.release, namespace: repair.namespace };
  try {
    if (repair.kind === "rollback") return await helmRollback(release, repair.to, kubeconfig);
    const roles = await aggregatedRolesOf(client, release);
    await helmUninstall(release, kubeconfig);
    // The aggregation controller can bring such a role back, bare, right after Helm's delete; the reinstall would then refuse to take it over.
    await removeReappearedRoles(client, new Set([release.name]), new Set(roles));
  } catch (error) {
    throw new Error(`Helm release ${repair.namespace}/${repair.release} (revision ${repair.stuck.version} ${repair.stuck.status}) could not be repaired: ${(error as Error).message}`);
  }
}

/** The aggregated ClusterRoles any revision of the release installs, from the manifests in Helm's records. */
async function aggregatedRolesOf(client: ClusterApi, release: ReleaseRef): Promise<string[]> {
  const selector = encodeURIComponent(`owner=helm,name=${release.name}`);
  const secrets = await client.get<{ items: { data?: { release?: string } }[] }>(`/api/v1/namespaces/${release.namespace}/secrets?labelSelector=${selector}`);
  return (secrets?.items ?? []).flatMap((secret) => (secret.data?.release ? aggregatedRoleNames(manifestObjects(decodeReleaseSecret(secret.data.release))) : []));
}
