import { CHART_EXEMPTIONS, type ChartExemption } from "./chart-exemptions";
import { chartContainers, chartFindings, type ChartFinding } from "./chart-workloads";
import { rawInputs, readRelease, type ReleaseRender } from "./release-inputs";
import { renderRelease, type RenderOutcome } from "./release-render";

/** What the workload rules learn of one Helm release. */
export type ReleaseCheck =
  | { readonly kind: "checked"; readonly render: ReleaseRender; readonly findings: readonly ChartFinding[] }
  /** Not checkable in this preview (values unknown until deploy); said as an advisory note, never a failure. */
  | { readonly kind: "skipped"; readonly release: string; readonly reason: string }
  /** The chart did not render with known values, or Helm is missing: the rules cannot vouch for it. */
  | { readonly kind: "failed"; readonly release: string; readonly error: string };

/** Renders a `kubernetes:helm.sh/v3:Release` from its inputs and finds the containers that break a workload rule. */
export async function checkRelease(
  props: Record<string, unknown>,
  render: (r: ReleaseRender) => Promise<RenderOutcome> = renderRelease,
  exemptions: readonly ChartExemption[] = CHART_EXEMPTIONS,
): Promise<ReleaseCheck> {
  const reading = readRelease(rawInputs(props));
  if (reading.kind === "skip") return { kind: "skipped", release: reading.release, reason: reading.reason };
  const request = reading.render;
  const outcome = await render(request);
  if (!outcome.ok) {
    if (request.unknownValues.length > 0 && !outcome.helmMissing) {
      return { kind: "skipped", release: request.release, reason: `values unknown until deploy (${request.unknownValues.join(", ")}) and the chart does not render without them` };
    }
    return { kind: "failed", release: request.release, error: outcome.error };
  }
  const containers = chartContainers(outcome.objects, request.namespace);
  return { kind: "checked", render: request, findings: chartFindings(request.release, request.chart, containers, exemptions) };
}
