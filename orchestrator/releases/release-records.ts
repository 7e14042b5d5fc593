import type { EnvironmentSpec } from "../../environments/model";
import type { StackId } from "../model/stack";
import type { ClusterApi } from "../cluster/kube-client";
import type { ReleaseRevision } from "./stuck-releases";
import { decodeReleaseSecret, type HelmRelease } from "./release-objects";

/** Release name -> the stack whose program installs it (the enabled components of each stack's layer). Pure. */
export function releaseOwners(env: EnvironmentSpec, stacks: readonly StackId[]): Map<string, string> {
  const owner = new Map<string, string>();
  for (const stack of stacks) {
    for (const component of Object.values(env.layers[stack.layer].components)) if (component.enabled) owner.set(component.chart.name, stack.name);
  }
  return owner;
}

interface ReleaseSecretLabels {
  readonly metadata: { readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
}

/**
 * Every revision of every Helm release on the cluster (or those `alsoMatching` a further label
 * selector), from one list of Helm's release Secrets. Helm keeps name, status and version in the
 * labels as well as in the body, so the body is not read.
 */
export async function releaseRevisions(client: ClusterApi, alsoMatching?: string): Promise<ReleaseRevision[]> {
  const selector = encodeURIComponent(["owner=helm", ...(alsoMatching ? [alsoMatching] : [])].join(","));
  const secrets = await client.get<{ items: ReleaseSecretLabels[] }>(`/api/v1/secrets?labelSelector=${selector}`);
  return (secrets?.items ?? []).flatMap(({ metadata }) => {
    const { name, status, version } = metadata.labels ?? {};
    return name && status && version && metadata.namespace ? [{ name, namespace: metadata.namespace, status, version: Number(version) }] : [];
  });
}

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

/** A deployed Helm release and the stack whose program installed it. */
export interface StackRelease {
  readonly stack: string;
  readonly release: HelmRelease;
}

/**
 * The deployed releases of the given stacks, read from Helm's release Secrets. A `helm.v3.Release`
 * refreshes only this record, so drift compares its manifest with the live objects itself.
 */
export async function deployedReleases(client: ClusterApi, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<StackRelease[]> {
  const owner = releaseOwners(env, stacks);
  type ReleaseSecret = { metadata: { labels?: Record<string, string> }; data?: { release?: string } };
  const secrets = await client.get<{ items: ReleaseSecret[] }>("/api/v1/secrets?labelSelector=owner%3Dhelm%2Cstatus%3Ddeployed");
  return (secrets?.items ?? []).flatMap((secret) => {
    const stack = owner.get(secret.metadata.labels?.name ?? "");
    return stack && secret.data?.release ? [{ stack, release: decodeReleaseSecret(secret.data.release) }] : [];
  });
}
