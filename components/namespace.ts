import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE_DEFAULT_REQUESTS } from "../environments/footprint";
import type { ResourceAmounts } from "../environments/model";

/**
 * A layer's namespace with its ResourceQuota and default container requests. `deleteTimeoutSeconds`
 * bounds how long a destroy waits for the namespace to go (the provider's default is 10 minutes).
 */
export function namespaceWithQuota(
  name: string,
  namespace: string,
  quota: ResourceAmounts,
  opts: pulumi.CustomResourceOptions,
  deleteTimeoutSeconds?: number,
): { namespace: k8s.core.v1.Namespace; quota: k8s.core.v1.ResourceQuota } {
  const timeouts = deleteTimeoutSeconds ? { customTimeouts: { ...opts.customTimeouts, delete: `${deleteTimeoutSeconds}s` } } : {};
  const created = new k8s.core.v1.Namespace(name, { metadata: { name: namespace, labels: { "platform.io/layer": name } } }, { ...opts, ...timeouts });
  const childOpts = { ...opts, dependsOn: [created] };
  const resourceQuota = new k8s.core.v1.ResourceQuota(
    `${name}-quota`,
    {
      metadata: { name: "platform-quota", namespace },
      spec: { hard: { "requests.cpu": quota.cpu, "requests.memory": quota.memory } },
    },
    childOpts,
  );
  // Containers that omit requests still count against the quota instead of being rejected.
  new k8s.core.v1.LimitRange(
    `${name}-defaults`,
    {
      metadata: { name: "platform-defaults", namespace },
      spec: { limits: [{ type: "Container", defaultRequest: { ...NAMESPACE_DEFAULT_REQUESTS } }] },
    },
    childOpts,
  );
  return { namespace: created, quota: resourceQuota };
}
