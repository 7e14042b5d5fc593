import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";
const WORKLOADS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet"]);
const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/;

interface Container {
  name?: string;
  image?: string;
  resources?: { requests?: { cpu?: unknown; memory?: unknown } };
}

function containersOf(props: Record<string, unknown>): Container[] {
  const spec = (props.spec as { template?: { spec?: { containers?: Container[]; initContainers?: Container[] } } }) ?? {};
  return [...(spec.template?.spec?.containers ?? []), ...(spec.template?.spec?.initContainers ?? [])];
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
  validateResource: (args, reportViolation) => {
    if (!WORKLOADS.has(args.type)) return;
    for (const container of containersOf(args.props)) {
      const requests = container.resources?.requests;
      if (requests?.cpu === undefined || requests?.memory === undefined) {
        reportViolation(`container '${container.name}' has no cpu and memory requests; set resources.requests`);
      }
    }
  },
};

export const noLatestImageTag: ResourceValidationPolicy = {
  name: "no-latest-image-tag",
  description: "Container images are pinned by tag or digest, never ':latest' or untagged.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!WORKLOADS.has(args.type)) return;
    for (const container of containersOf(args.props)) {
      const image = container.image ?? "";
      const tag = image.includes("@") ? "digest" : image.split("/").pop()?.split(":")[1];
      if (!tag || tag === "latest") reportViolation(`container '${container.name}' uses image '${image}'; pin a version tag or digest`);
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
