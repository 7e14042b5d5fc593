import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { containerPlace, violationMessage } from "./chart-workloads";
import type { WorkloadRule } from "./chart-exemptions";
import { checkRelease } from "./release-check";
import { hasRequests, isPinnedImage, podContainers, type PodSpec } from "./workload-checks";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const WORKLOADS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"]);
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

function containersOf(props: Record<string, unknown>) {
  const spec = (props.spec as { template?: { spec?: PodSpec } } | undefined) ?? {};
  return podContainers(spec.template?.spec).map(({ container }) => container);
}

/** A workload rule's check of a chart: the release is rendered and each container that breaks `rule` reported, unless exempt. */
async function validateChartWorkloads(rule: WorkloadRule, args: ResourceValidationArgs, reportViolation: (message: string) => void): Promise<void> {
  const check = await checkRelease(args.props);
  if (check.kind === "failed") reportViolation(`release '${check.release}': cannot check the workloads its chart renders: ${check.error}`);
  // With values left out, a finding may be one the unknown values fix: chart-workload-notes reports it, and up checks again with every value known.
  if (check.kind !== "checked" || check.render.unknownValues.length > 0) return;
  for (const finding of check.findings) if (finding.rule === rule && !finding.exemption) reportViolation(violationMessage(finding));
}

export const helmChartVersionPinned: ResourceValidationPolicy = {
  name: "helm-chart-version-pinned",
  description: "Helm releases name an exact chart version, so every environment installs what was tested.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== HELM_RELEASE) return;
    const version = args.props.version as string | undefined;
    if (!version || !EXACT_VERSION.test(version)) {
      reportViolation(`chart '${args.props.chart}' has version '${version ?? ""}'; pin an exact version such as 1.16.2 in environments/*.yaml`);
    }
  },
};

export const workloadResourceRequests: ResourceValidationPolicy = {
  name: "workload-resource-requests",
  description: "Every container declares cpu and memory requests, so capacity planning and quotas hold.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    if (args.type === HELM_RELEASE) return validateChartWorkloads("workload-resource-requests", args, reportViolation);
    if (!WORKLOADS.has(args.type)) return;
    for (const container of containersOf(args.props)) {
      if (!hasRequests(container)) reportViolation(`container '${container.name}' has no cpu and memory requests; set resources.requests`);
    }
  },
};

export const noLatestImageTag: ResourceValidationPolicy = {
  name: "no-latest-image-tag",
  description: "Container images are pinned by tag or digest, never ':latest' or untagged.",
  enforcementLevel: "mandatory",
  validateResource: async (args, reportViolation) => {
    if (args.type === HELM_RELEASE) return validateChartWorkloads("no-latest-image-tag", args, reportViolation);
    if (!WORKLOADS.has(args.type)) return;
    for (const container of containersOf(args.props)) {
      const image = container.image ?? "";
      if (!isPinnedImage(image)) reportViolation(`container '${container.name}' uses image '${image}'; pin a version tag or digest`);
    }
  },
};

export const chartWorkloadNotes: ResourceValidationPolicy = {
  name: "chart-workload-notes",
  description: "Says which chart containers the workload rules exempt, and which releases a preview could not check yet.",
  enforcementLevel: "advisory",
  validateResource: async (args, reportViolation) => {
    if (args.type !== HELM_RELEASE) return;
    const check = await checkRelease(args.props);
    if (check.kind === "skipped") reportViolation(`release '${check.release}': workloads not checked in this preview: ${check.reason}; they are checked once the values are known`);
    if (check.kind !== "checked") return;
    for (const finding of check.findings) {
      if (finding.exemption) reportViolation(`${containerPlace(finding.release, finding.at)}: exempt from ${finding.rule}: ${finding.exemption.reason}`);
    }
    if (check.render.unknownValues.length > 0) {
      const unknown = check.render.unknownValues.join(", ");
      reportViolation(`release '${check.render.release}': checked without the values unknown until deploy (${unknown})`);
      for (const finding of check.findings) if (!finding.exemption) reportViolation(`${finding.rule}, unless the unknown values fix it: ${violationMessage(finding)}`);
    }
  },
};

export const namespaceHasQuota: StackValidationPolicy = {
  name: "namespace-has-quota",
  description: "Every namespace the platform creates carries a ResourceQuota.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const namespaces = args.resources.filter((r) => r.type === "kubernetes:core/v1:Namespace");
    const quotaNamespaces = new Set(
      args.resources
        .filter((r) => r.type === "kubernetes:core/v1:ResourceQuota")
        .map((r) => (r.props.metadata as { namespace?: string } | undefined)?.namespace),
    );
    for (const namespace of namespaces) {
      const name = (namespace.props.metadata as { name?: string } | undefined)?.name;
      // Names are unknown during a first preview; the check applies once they are known.
      if (name && !quotaNamespaces.has(name)) reportViolation(`namespace '${name}' has no ResourceQuota; add one (components/namespace.ts)`);
    }
  },
};
