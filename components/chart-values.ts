import type { ComponentSettings } from "../environments/model";
import { COMPANION_REQUESTS } from "./chart-companion-requests";
import { deepMerge } from "./deep-merge";

/**
 * Helm values for each component: where its chart puts replicas and resources. Pure data
 * mapping, table-tested; environment `values` are merged over these by the release helper.
 */
export type ValuesMapper = (settings: ComponentSettings, context: ValuesContext) => Record<string, unknown>;

/** What values may depend on besides the component's settings. */
export interface ValuesContext {
  /** The environment's DNS zone. */
  readonly domain: string;
  readonly clusterName: string;
  /** Cloud region (AWS) or location (Azure). */
  readonly region: string;
}

/** The values context of an environment, as its stacks compute it. */
export function valuesContextOf(env: { readonly name: string; readonly domain: string; readonly region: string }): ValuesContext {
  return { domain: env.domain, clusterName: `platform-${env.name}`, region: env.region };
}

// Environments set limits as well as requests: a chart's default limits would otherwise stay
// (Helm merges maps key by key, and the engine drops the nulls that could delete them).
const resources = (s: ComponentSettings) => ({ requests: s.resources.requests, ...(s.resources.limits ? { limits: s.resources.limits } : {}) });
const topLevel = (replicaKey: string) => (s: ComponentSettings) => ({ [replicaKey]: s.replicas, resources: resources(s) });

/** Keys verified against the real charts by test/component/chart-contract.test.ts (SOURCES.md lists them). */
export const CHART_VALUES: Readonly<Record<string, ValuesMapper>> = {
  // Cilium runs only on AWS, chained behind the VPC CNI: pods keep VPC addresses, Cilium adds policy and observability.
  cilium: (s) => ({
    operator: { replicas: s.replicas, resources: resources(s) },
    resources: resources(s),
    cni: { chainingMode: "aws-cni", exclusive: false },
    enableIPv4Masquerade: false,
    routingMode: "native",
    kubeProxyReplacement: false,
  }),
  metricsServer: topLevel("replicas"),
  clusterAutoscaler: (s, context) => ({
    ...topLevel("replicaCount")(s),
    autoDiscovery: { clusterName: context.clusterName },
    awsRegion: context.region,
    rbac: { serviceAccount: { name: "cluster-autoscaler" } },
  }),
  ebsCsiDriver: (s) => ({ controller: { replicaCount: s.replicas, resources: resources(s), serviceAccount: { name: "ebs-csi-controller-sa" } } }),
  emissaryCrds: () => ({}),
  emissary: topLevel("replicaCount"),
  certManager: (s) => ({ ...topLevel("replicaCount")(s), crds: { enabled: true } }),
  // external-dns runs one replica by design (no replicas key).
  externalDns: (s, context) => ({
    resources: resources(s),
    provider: { name: "cloudflare" },
    policy: "upsert-only",
    domainFilters: [context.domain],
    // The token Secret is made by the ingress layer; values only reference it.
    env: [{ name: "CF_API_TOKEN", valueFrom: { secretKeyRef: { name: "cloudflare-api-token", key: "token" } } }],
  }),
  // Grafana is its own component, so the stack's bundled one stays off.
  prometheus: (s) => ({ prometheus: { prometheusSpec: { replicas: s.replicas, resources: resources(s) } }, grafana: { enabled: false } }),
  // Replicas count pods of one ingester StatefulSet; zone-aware replication would make three of them.
  mimir: (s) => ({ ingester: { replicas: s.replicas, resources: resources(s), zoneAwareReplication: { enabled: false } } }),
  // Monolithic Loki on the filesystem: the chart refuses to render without storage and schema
  // settings, or with replicas left on the simple-scalable targets.
  loki: (s) => ({
    deploymentMode: "Monolithic",
    singleBinary: { replicas: s.replicas, resources: resources(s) },
    read: { replicas: 0 },
    write: { replicas: 0 },
    backend: { replicas: 0 },
    loki: {
      auth_enabled: false,
      commonConfig: { replication_factor: 1 },
      storage: { type: "filesystem" },
      schemaConfig: { configs: [{ from: "2024-04-01", store: "tsdb", object_store: "filesystem", schema: "v13", index: { prefix: "index_", period: "24h" } }] },
    },
  }),
  grafana: (s) => ({ ...topLevel("replicas")(s), admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" } }),
  tempo: (s) => ({ replicas: s.replicas, tempo: { resources: resources(s) } }),
  otelCollector: (s) => ({
    replicaCount: s.replicas,
    resources: resources(s),
    mode: "deployment",
    image: { repository: "otel/opentelemetry-collector-k8s" },
    config: { exporters: { otlp: { endpoint: "tempo.observability.svc:4317", tls: { insecure: true } } } },
  }),
  argocd: (s) => ({ server: { replicas: s.replicas, resources: resources(s) } }),
  // The Tekton controller runs one replica by design (no replicas key).
  tekton: (s) => ({ controller: { resources: resources(s) } }),
  // More than one replica means OpenBao's HA mode (Raft); one is the chart's standalone server.
  openbao: (s) => ({ server: { resources: resources(s), ...(s.replicas > 1 ? { ha: { enabled: true, replicas: s.replicas } } : {}) } }),
  externalSecrets: topLevel("replicaCount"),
  gatekeeper: (s) => ({ replicas: s.replicas, controllerManager: { resources: resources(s) } }),
  // A DaemonSet: one pod per node, so only resources apply.
  falco: (s) => ({ resources: resources(s) }),
  istioBase: () => ({}),
  // A fixed replica count instead of the chart's HPA, so the environment's number is what runs.
  istiod: (s) => ({ replicaCount: s.replicas, autoscaleEnabled: false, resources: resources(s), meshConfig: { enableAutoMtls: true } }),
  cloudnativePg: topLevel("replicaCount"),
  redisOperator: topLevel("replicas"),
  strimzi: (s) => ({ ...topLevel("replicas")(s), watchAnyNamespace: true }),
};

export function valuesFor(component: string, settings: ComponentSettings, context: ValuesContext): Record<string, unknown> {
  const mapper = CHART_VALUES[component];
  if (!mapper) throw new Error(`no values mapping for component "${component}"; add one to components/chart-values.ts`);
  return deepMerge(COMPANION_REQUESTS[component] ?? {}, mapper(settings, context));
}

/** The values a release is installed with: the mapping, then the environment's own `values` over it. */
export function releaseValues(component: string, settings: ComponentSettings, context: ValuesContext): Record<string, unknown> {
  return deepMerge(valuesFor(component, settings, context), settings.values);
}
