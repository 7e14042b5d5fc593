import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { chartCases } from "../../support/chart-cases";
import { CHART_SOURCE } from "../../support/chart-source";
import { chartWorkloadNotes, noLatestImageTag, workloadResourceRequests } from "../../../policy/platform/kubernetes-policies";
import { checkRelease } from "../../../policy/platform/release-check";
import { HELM_MISSING, renderCount, renderRelease } from "../../../policy/platform/release-render";

// The workload rules on Helm releases of the real charts: the Release's inputs as the engine gives
// them to the pack (chart path from the mirror, version, name, namespace, values), rendered by Helm.
const RELEASE = "kubernetes:helm.sh/v3:Release";
const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

async function violations(policy: ResourceValidationPolicy, props: Record<string, unknown>): Promise<string[]> {
  const found: string[] = [];
  const args = { type: RELEASE, props, urn: "urn:test", name: "subject", opts: {}, getConfig: () => ({}) } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource as (a: ResourceValidationArgs, report: (message: string) => void) => Promise<void>;
  await validate(args, (message) => found.push(message));
  return found;
}

const archive = (file: string) => path.join(CHART_SOURCE, file);
const release = (chart: string, file: string, version: string, values: Record<string, unknown>, namespace: unknown = "ingress") => ({ name: chart, chart: archive(file), version, namespace, values });
const projectValues = (component: string, env = "local") => chartCases([env]).find((c) => c.component === component)!.values;

describe("workload rules on the workloads a Helm release renders", function () {
  this.timeout(120_000);
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-renders-"));
  const saved = process.env.PLATFORM_POLICY_CACHE;
  before(() => (process.env.PLATFORM_POLICY_CACHE = cacheDir));
  after(() => {
    if (saved === undefined) delete process.env.PLATFORM_POLICY_CACHE;
    else process.env.PLATFORM_POLICY_CACHE = saved;
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  it("names each cert-manager container that its values leave without requests", async () => {
    const bare = release("cert-manager", "cert-manager-v1.21.1.tgz", "1.21.1", { crds: { enabled: true } });
    expect(await violations(workloadResourceRequests, bare)).to.deep.equal(
      ["cert-manager-cainjector", "cert-manager", "cert-manager-webhook", "cert-manager-startupapicheck"].map((name) => {
        const kind = name === "cert-manager-startupapicheck" ? "Job" : "Deployment";
        const container = name === "cert-manager" ? "cert-manager-controller" : name;
        return `release 'cert-manager': ${kind} ingress/${name}: container '${container}' has no cpu and memory requests; set them through the chart's values (components/chart-companion-requests.ts) or exempt it (policy/platform/chart-exemptions.ts)`;
      }),
    );
  });

  it("passes cert-manager with the values the project computes", async () => {
    const computed = release("cert-manager", "cert-manager-v1.21.1.tgz", "1.21.1", projectValues("certManager", "dev"));
    expect(await violations(workloadResourceRequests, computed)).to.deep.equal([]);
    expect(await violations(noLatestImageTag, computed)).to.deep.equal([]);
  });

  it("refuses a ':latest' image set through a chart's values, naming the container", async () => {
    const latest = release("metrics-server", "metrics-server-3.13.1.tgz", "3.13.1", { ...projectValues("metricsServer"), image: { tag: "latest" } }, "platform-system");
    expect(await violations(noLatestImageTag, latest)).to.deep.equal([
      "release 'metrics-server': Deployment platform-system/metrics-server: container 'metrics-server' uses image 'registry.k8s.io/metrics-server/metrics-server:latest'; pin a version tag or digest in the chart's values",
    ]);
    expect(await violations(workloadResourceRequests, latest)).to.deep.equal([]);
  });

  it("names init containers and sidecars, and honours the exemption list as an advisory note", async () => {
    const tekton = release("tekton-pipeline", "tekton-pipeline-1.9.1.tgz", "1.9.1", projectValues("tekton"), "gitops");
    expect(await violations(workloadResourceRequests, tekton)).to.deep.equal([]);
    expect(await violations(chartWorkloadNotes, tekton)).to.deep.equal([
      "release 'tekton-pipeline': Deployment gitops/tekton-events-controller: container 'tekton-events-controller': exempt from workload-resource-requests: tekton-pipeline 1.9.1 renders this container with no resources field and has no values key for one; it counts against the quota at the namespace's LimitRange default (50m, 64Mi)",
    ]);
    const argocd = { ...projectValues("argocd") } as Record<string, Record<string, unknown>>;
    const withoutDex = release("argo-cd", "argo-cd-10.1.1.tgz", "10.1.1", { ...argocd, dex: { ...argocd.dex, resources: {} } }, "gitops");
    expect(await violations(workloadResourceRequests, withoutDex)).to.deep.equal([
      "release 'argo-cd': Deployment gitops/argo-cd-argocd-dex-server: container 'dex-server' has no cpu and memory requests; set them through the chart's values (components/chart-companion-requests.ts) or exempt it (policy/platform/chart-exemptions.ts)",
      "release 'argo-cd': Deployment gitops/argo-cd-argocd-dex-server: init container 'copyutil' has no cpu and memory requests; set them through the chart's values (components/chart-companion-requests.ts) or exempt it (policy/platform/chart-exemptions.ts)",
    ]);
  });

  it("renders what is known when values and namespace are unknown during a first preview, and says so", async () => {
    const values = { ...projectValues("metricsServer"), podLabels: { team: UNKNOWN_STRING } };
    const first = release("metrics-server", "metrics-server-3.13.1.tgz", "3.13.1", values, UNKNOWN_STRING);
    expect(await violations(workloadResourceRequests, first)).to.deep.equal([]);
    expect(await violations(chartWorkloadNotes, first)).to.deep.equal(["release 'metrics-server': checked without the values unknown until deploy (podLabels.team)"]);
  });

  it("reports what unknown values might fix as an advisory note, never as a mandatory violation", async () => {
    const computed = projectValues("certManager", "dev") as Record<string, Record<string, unknown>>;
    const unknownWebhook = release("cert-manager", "cert-manager-v1.21.1.tgz", "1.21.1", { ...computed, webhook: { ...computed.webhook, resources: UNKNOWN_STRING } });
    expect(await violations(workloadResourceRequests, unknownWebhook)).to.deep.equal([]);
    expect(await violations(chartWorkloadNotes, unknownWebhook)).to.deep.equal([
      "release 'cert-manager': checked without the values unknown until deploy (webhook.resources)",
      "workload-resource-requests, unless the unknown values fix it: release 'cert-manager': Deployment ingress/cert-manager-webhook: container 'cert-manager-webhook' has no cpu and memory requests; set them through the chart's values (components/chart-companion-requests.ts) or exempt it (policy/platform/chart-exemptions.ts)",
    ]);
    const allUnknown = release("cert-manager", "cert-manager-v1.21.1.tgz", "1.21.1", {});
    (allUnknown as Record<string, unknown>).values = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff";
    expect(await violations(workloadResourceRequests, allUnknown)).to.deep.equal([]);
    expect(await violations(chartWorkloadNotes, allUnknown)).to.deep.equal([
      "release 'cert-manager': workloads not checked in this preview: its values are not known until deploy; they are checked once the values are known",
    ]);
  });

  it("skips with an advisory note when the chart does not render without the unknown values", async () => {
    // otel-collector refuses to render without image.repository.
    const values = { ...projectValues("otelCollector"), image: { repository: UNKNOWN_STRING } };
    const unknown = release("opentelemetry-collector", "opentelemetry-collector-0.170.0.tgz", "0.170.0", values, "observability");
    expect(await violations(workloadResourceRequests, unknown)).to.deep.equal([]);
    const notes = await violations(chartWorkloadNotes, unknown);
    expect(notes).to.have.length(1);
    expect(notes[0]).to.match(/^release 'opentelemetry-collector': workloads not checked in this preview: values unknown until deploy \(image\.repository\)/);
  });

  it("fails the rule with a message that says how to get Helm when it is not on PATH", async () => {
    const saved = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const check = await checkRelease(release("metrics-server", "metrics-server-3.13.1.tgz", "3.13.1", { replicas: 2 }, "helm-missing"));
      expect(check).to.deep.equal({ kind: "failed", release: "metrics-server", error: HELM_MISSING });
    } finally {
      process.env.PATH = saved;
    }
  });

  it("renders a release once for both rules and the note, and keeps the render for the next preview", async () => {
    const props = release("grafana", "grafana-12.11.1.tgz", "12.11.1", projectValues("grafana"), "cache-test");
    const before = renderCount();
    await violations(workloadResourceRequests, props);
    await violations(noLatestImageTag, props);
    await violations(chartWorkloadNotes, props);
    expect(renderCount() - before).to.equal(1);
    const outcome = await renderRelease({ release: "grafana", chart: "grafana", location: { kind: "local", path: archive("grafana-12.11.1.tgz") }, version: "12.11.1", namespace: "cache-test", values: projectValues("grafana"), unknownValues: [] });
    expect(outcome.ok).to.equal(true);
    expect(renderCount() - before).to.equal(1);
    const kept = fs.readdirSync(cacheDir).map((file) => JSON.parse(fs.readFileSync(path.join(cacheDir, file), "utf8")) as { kind: string; metadata: { name: string } }[]);
    expect(kept.some((objects) => objects.some((o) => o.kind === "Deployment" && o.metadata.name === "grafana"))).to.equal(true);
  });
});
