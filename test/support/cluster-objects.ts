import { kubeGet } from "./kube-api";
import type { TestCluster } from "./test-cluster";

/** What the cluster writes on its own all the time, so never a sign that something was created: events. */
const SELF_WRITTEN = new Set(["events", "events.k8s.io/events"]);

/**
 * Every object in the cluster, as `<group/>resource namespace/name`: every resource type the API
 * serves that can be listed (found by discovery, the preferred version of each group), listed
 * cluster-wide. Events are left out: the cluster writes them itself.
 */
export async function clusterObjects(cluster: TestCluster): Promise<string[]> {
  const get = async (apiPath: string) => {
    const response = await kubeGet(cluster.server, cluster.token, apiPath);
    if (response.status !== 200) throw new Error(`GET ${apiPath}: HTTP ${response.status}`);
    return response.body;
  };
  const groups = (await get("/apis")).groups as { name: string; preferredVersion: { groupVersion: string } }[];
  const versions = [{ prefix: "/api/v1", group: "" }, ...groups.map((g) => ({ prefix: `/apis/${g.preferredVersion.groupVersion}`, group: g.name }))];
  const objects: string[] = [];
  for (const { prefix, group } of versions) {
    const resources = (await get(prefix)).resources as { name: string; verbs: string[] }[];
    for (const resource of resources) {
      const type = group ? `${group}/${resource.name}` : resource.name;
      if (resource.name.includes("/") || !resource.verbs.includes("list") || SELF_WRITTEN.has(type)) continue;
      const items = (await get(`${prefix}/${resource.name}`)).items as { metadata: { namespace?: string; name: string } }[];
      for (const item of items) objects.push(`${type} ${item.metadata.namespace ? `${item.metadata.namespace}/` : ""}${item.metadata.name}`);
    }
  }
  return objects.sort();
}
