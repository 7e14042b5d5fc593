import type { LayerName } from "./layers";

/** The components each layer knows how to deploy; environment files may configure only these. */
export const LAYER_COMPONENTS: Readonly<Record<LayerName, readonly string[]>> = {
  foundation: ["cilium", "metricsServer", "clusterAutoscaler", "ebsCsiDriver"],
  ingress: ["emissaryCrds", "emissary", "certManager", "externalDns"],
  observability: ["prometheus", "mimir", "loki", "grafana", "tempo", "otelCollector"],
  gitops: ["argocd", "tekton"],
  security: ["openbao", "externalSecrets", "gatekeeper", "falco"],
  mesh: ["istioBase", "istiod"],
  data: ["cloudnativePg", "redisOperator", "strimzi"],
};
