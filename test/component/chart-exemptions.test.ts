import { expect } from "chai";
import { CHART_EXEMPTIONS, type ChartExemption } from "../../policy/platform/chart-exemptions";
import { chartContainers } from "../../policy/platform/chart-workloads";
import { helmTemplate } from "../../orchestrator/releases/helm-template";
import { chartCases, ENVIRONMENTS } from "../support/chart-cases";
import { exemptionProblems, type RenderedChart } from "../support/exemption-problems";

// Each exemption of the workload rules must stay needed: a container some environment's real chart
// renders, that still breaks the rule. Stale entries fail here, so the list cannot grow quietly.
describe("chart exemptions of the workload rules stay needed", function () {
  this.timeout(600_000);
  let renders: RenderedChart[];

  before(async () => {
    renders = await Promise.all(
      chartCases(ENVIRONMENTS).map(async (c) => {
        const result = await helmTemplate(c.archive, c.settings.chart.name, "platform", c.values);
        if (!result.ok) expect.fail(`${c.env.name}/${c.component}: ${result.error}`);
        return { chart: c.settings.chart.name, containers: chartContainers(result.objects, "platform") };
      }),
    );
  });

  it("names only containers the charts render and that still break the rule", () => {
    expect(exemptionProblems(CHART_EXEMPTIONS, renders)).to.deep.equal([]);
  });

  it("fails on an exemption that names nothing and on one no longer needed", () => {
    const exempt = (chart: string, workload: string, container: string): ChartExemption => ({ rule: "workload-resource-requests", chart, kind: "Deployment", workload, container, reason: "test" });
    expect(exemptionProblems([exempt("tekton-pipeline", "tekton-events-controller", "no-such-container"), exempt("cert-manager", "cert-manager-webhook", "cert-manager-webhook")], renders)).to.deep.equal([
      "workload-resource-requests: tekton-pipeline Deployment tekton-events-controller container no-such-container: no environment's chart renders it; correct or remove the exemption",
      "workload-resource-requests: cert-manager Deployment cert-manager-webhook container cert-manager-webhook: complies in every environment now; remove the exemption",
    ]);
  });
});
