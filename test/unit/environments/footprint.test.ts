import { expect } from "chai";
import { checkCapacity, formatCapacityReport } from "../../../environments/capacity";
import { chartFootprint, podRequests } from "../../../environments/footprint";
import { loadEnvironment } from "../../../environments/load";

const DEFAULTS = { cpuMillis: 50, memoryBytes: 64 * 2 ** 20 };
const container = (cpu?: string, memory?: string) => ({ resources: cpu ? { requests: { cpu, memory } } : {} });

describe("chart footprint: what the rendered pods request", () => {
  it("a pod counts its app containers together, or its largest init container when that is larger; defaults where requests are missing", () => {
    expect(podRequests({ containers: [container("100m", "128Mi"), container()], initContainers: [container("500m", "64Mi")] }, DEFAULTS)).to.deep.equal({
      cpuMillis: 500,
      memoryBytes: 192 * 2 ** 20,
    });
  });

  it("counts replicas, DaemonSet pods on every node, hook Jobs and Prometheus resources; never test hooks", () => {
    const pod = { template: { spec: { containers: [container("100m", "100Mi")] } } };
    const footprint = chartFootprint(
      [
        { kind: "Deployment", metadata: { name: "a" }, spec: { replicas: 2, ...pod } },
        { kind: "DaemonSet", metadata: { name: "b" }, spec: pod },
        { kind: "Job", metadata: { name: "c", annotations: { "helm.sh/hook": "post-install" } }, spec: pod },
        { kind: "Job", metadata: { name: "d", annotations: { "helm.sh/hook": "test" } }, spec: pod },
        { kind: "Prometheus", metadata: { name: "e" }, spec: { replicas: 2, resources: { requests: { cpu: "1", memory: "1Gi" } } } },
        { kind: "Service", metadata: { name: "f" } },
      ],
      3,
      DEFAULTS,
    );
    expect(footprint).to.deep.equal({ cpuMillis: 100 * 6 + 2000, memoryBytes: 600 * 2 ** 20 + 2 * 2 ** 30 });
  });

  it("capacity from footprints names each component's share and flags a layer above its quota", () => {
    const env = loadEnvironment("local");
    const report = checkCapacity(env, new Map([["ingress/certManager", { cpuMillis: 9000, memoryBytes: 2 ** 30 }]]));
    expect(report.overQuota).to.deep.equal(["ingress"]);
    expect(formatCapacityReport(report)).to.contain("ABOVE ITS QUOTA").and.contain("certManager").and.contain("every pod of the rendered charts");
  });
});
