export type WorkloadRule = "workload-resource-requests" | "no-latest-image-tag";

/** A chart container a workload rule lets through, because the chart gives no values key to fix it. */
export interface ChartExemption {
  readonly rule: WorkloadRule;
  /** Chart name as in environments/base.yaml. */
  readonly chart: string;
  readonly kind: string;
  /** Workload name as rendered with the release named after the chart, as every platform release is. */
  readonly workload: string;
  readonly container: string;
  readonly reason: string;
}

/**
 * Kept short on purpose: test/component/chart-exemptions.test.ts fails when an entry names a
 * container no chart renders, or one that complies by now, so stale entries cannot pile up.
 */
export const CHART_EXEMPTIONS: readonly ChartExemption[] = [
  {
    rule: "workload-resource-requests",
    chart: "tekton-pipeline",
    kind: "Deployment",
    workload: "tekton-events-controller",
    container: "tekton-events-controller",
    reason: "tekton-pipeline 1.9.1 renders this container with no resources field and has no values key for one; it counts against the quota at the namespace's LimitRange default (50m, 64Mi)",
  },
];

/** The exemption that covers a container under a rule, if any. Pure. */
export function exemptionFor(
  exemptions: readonly ChartExemption[],
  subject: { readonly rule: WorkloadRule; readonly chart: string; readonly kind: string; readonly workload: string; readonly container: string },
): ChartExemption | undefined {
  return exemptions.find(
    (e) => e.rule === subject.rule && e.chart === subject.chart && e.kind === subject.kind && e.workload === subject.workload && e.container === subject.container,
  );
}
