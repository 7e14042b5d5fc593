import type { ComponentSettings } from "../environments/model";

/**
 * Helm values for each component: where its chart puts replicas and resources. Pure data
 * mapping, table-tested; environment `values` are merged over these by the release helper.
 */
export type ValuesMapper = (settings: ComponentSettings) => Record<string, unknown>;

const resources = (s: ComponentSettings) => ({ requests: s.resources.requests, ...(s.resources.limits ? { limits: s.resources.limits } : {}) });
const topLevel = (replicaKey: string): ValuesMapper => (s) => ({ [replicaKey]: s.replicas, resources: resources(s) });
const nested = (section: string, replicaKey = "replicas"): ValuesMapper => (s) => ({ [section]: { [replicaKey]: s.replicas, resources: resources(s) } });

export const CHART_VALUES: Readonly<Record<string, ValuesMapper>> = {
  cilium: (s) => ({ operator: { replicas: s.replicas }, resources: resources(s), kubeProxyReplacement: true }),
  metricsServer: topLevel("replicas"),
  clusterAutoscaler: topLevel("replicaCount"),
  ebsCsiDriver: (s) => ({ controller: { replicaCount: s.replicas, resources: resources(s) } }),
  emissaryCrds: () => ({}),
  emissary: topLevel("replicaCount"),
  certManager: (s) => ({ ...topLevel("replicaCount")(s), crds: { enabled: true } }),
  externalDns: (s) => ({ resources: resources(s), provider: { name: "cloudflare" }, policy: "upsert-only" }),
  prometheus: (s) => ({ prometheus: { prometheusSpec: { replicas: s.replicas, resources: resources(s) } }, grafana: { enabled: false } }),
  mimir: nested("ingester"),
  loki: (s) => ({ deploymentMode: "SingleBinary", singleBinary: { replicas: s.replicas, resources: resources(s) } }),
  grafana: topLevel("replicas"),
  tempo: (s) => ({ replicas: s.replicas, tempo: { resources: resources(s) } }),
  otelCollector: (s) => ({ ...topLevel("replicaCount")(s), mode: "deployment" }),
  argocd: (s) => ({ server: { replicas: s.replicas, resources: resources(s) }, controller: { replicas: 1 } }),
  tekton: nested("controller", "replicas"),
  openbao: (s) => ({ server: { ha: { enabled: s.replicas > 1, replicas: s.replicas }, resources: resources(s) } }),
  externalSecrets: (s) => ({ ...topLevel("replicaCount")(s), installCRDs: true }),
  gatekeeper: (s) => ({ replicas: s.replicas, controllerManager: { resources: resources(s) } }),
  falco: (s) => ({ resources: resources(s) }),
  istioBase: () => ({}),
  istiod: (s) => ({ pilot: { replicaCount: s.replicas, resources: resources(s) }, meshConfig: { enableAutoMtls: true } }),
  cloudnativePg: topLevel("replicaCount"),
  redisOperator: (s) => ({ redisOperator: { replicas: s.replicas }, resources: resources(s) }),
  strimzi: (s) => ({ replicas: s.replicas, resources: resources(s), watchAnyNamespace: true }),
};

export function valuesFor(component: string, settings: ComponentSettings): Record<string, unknown> {
  const mapper = CHART_VALUES[component];
  if (!mapper) throw new Error(`no values mapping for component "${component}"; add one to components/chart-values.ts`);
  return mapper(settings);
}
