import { exemptionFor, type ChartExemption, type WorkloadRule } from "./chart-exemptions";
import { hasRequests, isPinnedImage, podContainers, type PodSpec } from "./workload-checks";

/** A Kubernetes object as `helm template` renders it, as far as the workload rules read it. */
export interface RenderedObject {
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly annotations?: Readonly<Record<string, string>> | null } | null;
  readonly spec?: { readonly template?: { readonly spec?: PodSpec | null } | null } | null;
}

/** The pod-making kinds whose containers the rules check; hook Jobs run on every install, so they count too. */
const WORKLOAD_KINDS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job"]);

/** One container of a workload a chart renders. */
export interface ChartContainer {
  readonly kind: string;
  readonly namespace: string;
  readonly workload: string;
  readonly container: string;
  readonly init: boolean;
  readonly image: string;
  readonly hasRequests: boolean;
  readonly pinned: boolean;
}

/** Every container of every Deployment, StatefulSet, DaemonSet and Job in a render; `helm test` hooks never run on deploy. Pure. */
export function chartContainers(objects: readonly RenderedObject[], releaseNamespace: string): ChartContainer[] {
  return objects.flatMap((object) => {
    if (!object.kind || !WORKLOAD_KINDS.has(object.kind)) return [];
    const hooks = object.metadata?.annotations?.["helm.sh/hook"];
    if (hooks && hooks.split(",").every((hook) => hook.trim().startsWith("test"))) return [];
    return podContainers(object.spec?.template?.spec ?? undefined).map(({ container, init }) => ({
      kind: object.kind!,
      namespace: object.metadata?.namespace ?? releaseNamespace,
      workload: object.metadata?.name ?? "",
      container: container.name ?? "",
      init,
      image: container.image ?? "",
      hasRequests: hasRequests(container),
      pinned: isPinnedImage(container.image ?? ""),
    }));
  });
}

/** A container that breaks a workload rule, and the exemption that excuses it, if one does. */
export interface ChartFinding {
  readonly rule: WorkloadRule;
  readonly release: string;
  readonly chart: string;
  readonly at: ChartContainer;
  readonly exemption?: ChartExemption;
}

/** What breaks each rule in one release's render. Pure. */
export function chartFindings(release: string, chart: string, containers: readonly ChartContainer[], exemptions: readonly ChartExemption[]): ChartFinding[] {
  const findings: ChartFinding[] = [];
  for (const at of containers) {
    const broken: WorkloadRule[] = [...(at.hasRequests ? [] : (["workload-resource-requests"] as const)), ...(at.pinned ? [] : (["no-latest-image-tag"] as const))];
    for (const rule of broken) {
      const exemption = exemptionFor(exemptions, { rule, chart, kind: at.kind, workload: at.workload, container: at.container });
      findings.push({ rule, release, chart, at, ...(exemption ? { exemption } : {}) });
    }
  }
  return findings;
}

/** "release 'x': Deployment ns/name: init container 'c'", how every message names a chart container. Pure. */
export function containerPlace(release: string, at: ChartContainer): string {
  return `release '${release}': ${at.kind} ${at.namespace}/${at.workload}: ${at.init ? "init container" : "container"} '${at.container}'`;
}

/** The violation message of a finding without an exemption. Pure. */
export function violationMessage(finding: ChartFinding): string {
  const place = containerPlace(finding.release, finding.at);
  return finding.rule === "workload-resource-requests"
    ? `${place} has no cpu and memory requests; set them through the chart's values (components/chart-companion-requests.ts) or exempt it (policy/platform/chart-exemptions.ts)`
    : `${place} uses image '${finding.at.image}'; pin a version tag or digest in the chart's values`;
}
