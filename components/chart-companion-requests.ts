/**
 * Requests for the containers a chart runs beside the main one the environment sizes: sidecars,
 * init containers, operators, exporters and hook Jobs, each under the chart's own values key
 * (read from its values.yaml and templates). The policy pack's `workload-resource-requests`
 * checks every one of them; the values contract test renders them in every environment. A chart
 * container with no such key is listed in policy/platform/chart-exemptions.ts instead.
 */
const requests = (cpu: string, memory: string) => ({ resources: { requests: { cpu, memory } } });
const small = requests("10m", "32Mi");

export const COMPANION_REQUESTS: Readonly<Record<string, Record<string, unknown>>> = {
  // The agent's five init containers share `initResources`.
  cilium: { initResources: small.resources, envoy: requests("50m", "128Mi") },
  // argo-cd's copyutil init containers take dex's and the repo server's resources.
  argocd: {
    controller: requests("250m", "512Mi"),
    repoServer: requests("100m", "256Mi"),
    applicationSet: requests("50m", "128Mi"),
    notifications: requests("20m", "64Mi"),
    dex: requests("20m", "64Mi"),
    redis: requests("50m", "64Mi"),
    redisSecretInit: small,
  },
  certManager: { cainjector: requests("20m", "128Mi"), webhook: requests("20m", "64Mi"), startupapicheck: small },
  externalSecrets: { certController: requests("20m", "64Mi"), webhook: requests("20m", "64Mi") },
  falco: {
    driver: { loader: { initContainer: requests("50m", "128Mi") } },
    falcoctl: { artifact: { install: small, follow: small } },
  },
  // Both post-install containers (label and webhook probe) take `postInstall.resources`.
  gatekeeper: { crds: small, postInstall: small },
  loki: {
    gateway: { ...requests("20m", "64Mi"), metrics: small },
    lokiCanary: small,
    sidecar: requests("10m", "64Mi"),
    memcachedExporter: small,
  },
  mimir: {
    nginx: requests("20m", "64Mi"),
    // minio's bucket and user jobs set only memory upstream.
    minio: { makeBucketJob: requests("10m", "128Mi"), makeUserJob: requests("10m", "128Mi") },
  },
  openbao: { injector: requests("20m", "64Mi") },
  prometheus: {
    prometheusOperator: { ...requests("100m", "128Mi"), admissionWebhooks: { patch: small } },
    "kube-state-metrics": requests("20m", "64Mi"),
    "prometheus-node-exporter": requests("20m", "32Mi"),
  },
};
