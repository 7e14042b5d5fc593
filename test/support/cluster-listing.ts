import type { TestCluster } from "./test-cluster";
import { kubeGet } from "./kube-api";

/** What a platform leaves on a cluster outside the objects Kubernetes itself makes. */
export interface ClusterListing {
  readonly namespaces: string[];
  readonly webhooks: string[];
  /** APIServices backed by a Service (the built-in ones are local to the API server). */
  readonly apiServices: string[];
  readonly crds: string[];
  readonly clusterRoles: string[];
}

const BUILT_IN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

export async function clusterListing(cluster: TestCluster): Promise<ClusterListing> {
  const names = async (apiPath: string, keep: (item: any) => boolean = () => true) =>
    ((await kubeGet(cluster.server, cluster.token, apiPath)).body.items as any[]).filter(keep).map((item) => String(item.metadata.name)).sort();
  const [mutating, validating] = await Promise.all([
    names("/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations"),
    names("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"),
  ]);
  return {
    namespaces: await names("/api/v1/namespaces", (ns) => !BUILT_IN_NAMESPACES.has(ns.metadata.name)),
    webhooks: [...mutating.map((n) => `mutating/${n}`), ...validating.map((n) => `validating/${n}`)],
    apiServices: await names("/apis/apiregistration.k8s.io/v1/apiservices", (api) => Boolean(api.spec.service)),
    crds: await names("/apis/apiextensions.k8s.io/v1/customresourcedefinitions"),
    // Kubernetes' own roles are named system:*; kwok's are kwok-*.
    clusterRoles: await names("/apis/rbac.authorization.k8s.io/v1/clusterroles", (role) => !/^(system:|kwok|admin$|edit$|view$|cluster-admin$)/.test(role.metadata.name)),
  };
}

export function formatListing(title: string, listing: ClusterListing): string {
  return [
    `${title}:`,
    ...Object.entries(listing).map(([kind, items]) => `  ${kind} (${(items as string[]).length}): ${(items as string[]).join(", ") || "-"}`),
  ].join("\n");
}
