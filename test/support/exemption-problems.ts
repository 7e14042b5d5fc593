import type { ChartExemption } from "../../policy/platform/chart-exemptions";
import { chartFindings, type ChartContainer } from "../../policy/platform/chart-workloads";

/** One chart's render in one environment, as the workload rules see it. */
export interface RenderedChart {
  readonly chart: string;
  readonly containers: readonly ChartContainer[];
}

/** Why each exemption is stale: it names a container no render has, or one that complies in every render. Pure. */
export function exemptionProblems(exemptions: readonly ChartExemption[], renders: readonly RenderedChart[]): string[] {
  return exemptions.flatMap((exemption) => {
    const named = `${exemption.rule}: ${exemption.chart} ${exemption.kind} ${exemption.workload} container ${exemption.container}`;
    const matches = renders.flatMap((r) =>
      r.chart === exemption.chart ? r.containers.filter((k) => k.kind === exemption.kind && k.workload === exemption.workload && k.container === exemption.container) : [],
    );
    if (matches.length === 0) return [`${named}: no environment's chart renders it; correct or remove the exemption`];
    const needed = chartFindings(exemption.chart, exemption.chart, matches, [exemption]).some((f) => f.rule === exemption.rule);
    return needed ? [] : [`${named}: complies in every environment now; remove the exemption`];
  });
}
