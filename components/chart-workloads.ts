/**
 * Where each component's replicas and resources must land in its real chart: the main workload
 * (named as rendered with the release named after the chart) and the container whose resources
 * the environment sets. Checked by rendering the real charts (test/component/chart-contract.test.ts).
 */
export interface WorkloadTarget {
  readonly kind: "Deployment" | "StatefulSet" | "DaemonSet" | "Prometheus";
  readonly name: string;
  /** The container that gets the environment's resources; none for a Prometheus resource (spec.resources). */
  readonly container?: string;
}

const deployment = (name: string, container: string = name): WorkloadTarget => ({ kind: "Deployment", name, container });
const statefulSet = (name: string, container: string = name): WorkloadTarget => ({ kind: "StatefulSet", name, container });

/** Per component, its workload targets; an empty list for charts that only install CRDs and roles. */
export const CHART_WORKLOADS: Readonly<Record<string, readonly WorkloadTarget[]>> = {
  cilium: [deployment("cilium-operator"), { kind: "DaemonSet", name: "cilium", container: "cilium-agent" }],
  metricsServer: [deployment("metrics-server")],
  clusterAutoscaler: [deployment("cluster-autoscaler-aws-cluster-autoscaler", "aws-cluster-autoscaler")],
  ebsCsiDriver: [deployment("ebs-csi-controller", "ebs-plugin")],
  emissaryCrds: [],
  emissary: [deployment("emissary-ingress")],
  certManager: [deployment("cert-manager", "cert-manager-controller")],
  externalDns: [deployment("external-dns")],
  prometheus: [{ kind: "Prometheus", name: "kube-prometheus-stack-prometheus" }],
  mimir: [statefulSet("mimir-distributed-ingester", "ingester")],
  loki: [statefulSet("loki")],
  grafana: [deployment("grafana")],
  tempo: [statefulSet("tempo")],
  otelCollector: [deployment("opentelemetry-collector")],
  argocd: [deployment("argo-cd-argocd-server", "server")],
  tekton: [deployment("tekton-pipelines-controller")],
  openbao: [statefulSet("openbao")],
  externalSecrets: [deployment("external-secrets")],
  gatekeeper: [deployment("gatekeeper-controller-manager", "manager")],
  falco: [{ kind: "DaemonSet", name: "falco", container: "falco" }],
  istioBase: [],
  istiod: [deployment("istiod", "discovery")],
  cloudnativePg: [deployment("cloudnative-pg", "manager")],
  redisOperator: [deployment("redis-operator")],
  strimzi: [deployment("strimzi-cluster-operator")],
};
