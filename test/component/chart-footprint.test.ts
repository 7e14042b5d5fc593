import { expect } from "chai";
import { checkCapacity } from "../../environments/capacity";
import { chartFootprint, NAMESPACE_DEFAULT_REQUESTS, type PodMaker, type Requests } from "../../environments/footprint";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "../../environments/quantity";
import { helmTemplate } from "../../orchestrator/releases/helm-template";
import { chartCases, ENVIRONMENTS } from "../support/chart-cases";

// Quotas and capacity against what the real charts run: every container of every pod (sidecars,
// operators, init containers, hook Jobs, DaemonSet pods on every node), LimitRange defaults where
// a chart sets no requests. A deploy must never be refused by the project's own quota.
const DEFAULTS: Requests = { cpuMillis: parseCpu(NAMESPACE_DEFAULT_REQUESTS.cpu)!, memoryBytes: parseMemory(NAMESPACE_DEFAULT_REQUESTS.memory)! };
const show = (r: Requests) => `${formatCpu(r.cpuMillis)} cpu ${formatMemory(r.memoryBytes)}`;

describe("quotas and capacity hold what the real charts run", function () {
  this.timeout(600_000);
  for (const envName of ENVIRONMENTS) {
    it(`${envName}: every layer's quota holds its charts' pods, and the cluster holds them all`, async () => {
      const cases = chartCases([envName]);
      const env = cases[0]!.env;
      const footprints = await Promise.all(
        cases.map(async (c) => {
          const result = await helmTemplate(c.archive, c.settings.chart.name, "platform", c.values);
          if (!result.ok) expect.fail(`${envName}/${c.component}: ${result.error}`);
          return { c, requests: chartFootprint(result.objects as PodMaker[], env.cluster.desiredNodes, DEFAULTS) };
        }),
      );
      const problems: string[] = [];
      let total: Requests = { cpuMillis: 0, memoryBytes: 0 };
      for (const layer of new Set(cases.map((c) => c.layer))) {
        const inLayer = footprints.filter((f) => f.c.layer === layer);
        const sum = inLayer.reduce((a, f) => ({ cpuMillis: a.cpuMillis + f.requests.cpuMillis, memoryBytes: a.memoryBytes + f.requests.memoryBytes }), { cpuMillis: 0, memoryBytes: 0 });
        total = { cpuMillis: total.cpuMillis + sum.cpuMillis, memoryBytes: total.memoryBytes + sum.memoryBytes };
        const quota = env.layers[layer].quota;
        if (sum.cpuMillis > parseCpu(quota.cpu)! || sum.memoryBytes > parseMemory(quota.memory)!) {
          problems.push(`${env.file}: layers.${layer}.quota ${quota.cpu} cpu ${quota.memory} is below what its charts request, ${show(sum)} (${inLayer.map((f) => `${f.c.component} ${show(f.requests)}`).join(", ")}); raise the quota`);
        }
      }
      const capacity = checkCapacity(env).capacity;
      if (total.cpuMillis > capacity.cpuMillis || total.memoryBytes > capacity.memoryBytes) problems.push(`${env.file}: the charts request ${show(total)}, above the cluster's ${show(capacity)} at maxNodes`);
      expect(problems).to.deep.equal([]);
    });
  }
});
