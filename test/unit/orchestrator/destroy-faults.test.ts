import { expect } from "chai";
import * as path from "node:path";
import { loadEnvironment } from "../../../environments/load";
import { purgeFlagsProblem } from "../../../orchestrator/cli/options/flags";
import { clusterAccess } from "../../../orchestrator/cluster/cluster-access";
import { blameStuckNamespaces } from "../../../orchestrator/operate/destroy/blame";
import { yamlObjects } from "../../../orchestrator/operate/destroy/chart-crds";
import { customResourcesPath, formatKeptCrds, platformCrds, purgeWarning, type CrdView } from "../../../orchestrator/operate/destroy/crd-leftovers";
import { formatStuckNamespace, layerOfNamespace, stuckCauses, type NamespaceView } from "../../../orchestrator/operate/destroy/namespace-causes";
import type { StackRunResult } from "../../../orchestrator/model/run-record";

const terminating = (conditions: { type: string; status: string; message: string }[]): NamespaceView => ({
  metadata: { name: "ingress", deletionTimestamp: "2026-11-28T05:00:00Z", labels: { "platform.io/layer": "ingress-ns" } },
  status: { phase: "Terminating", conditions: [{ type: "NamespaceDeletionGroupVersionParsingFailure", status: "False", message: "All legacy kube types successfully parsed" }, ...conditions] },
});

// Messages as the namespace controller of Kubernetes 1.35 writes them (pkg/controller/namespace/deletion).
const DISCOVERY = {
  type: "NamespaceDeletionDiscoveryFailure",
  status: "True",
  message: "Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: metrics.k8s.io/v1beta1: stale GroupVersion discovery: metrics.k8s.io/v1beta1",
};
const FINALIZERS = { type: "NamespaceFinalizersRemaining", status: "True", message: "Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances" };
const CONTENT = { type: "NamespaceContentRemaining", status: "True", message: "Some resources are remaining: configmaps. has 1 resource instances, certificates.cert-manager.io has 2 resource instances" };

describe("destroy: why a namespace stays Terminating", () => {
  it("names the unavailable APIService behind a discovery failure, with its reason, and says to fix or delete it", () => {
    const apiService = {
      metadata: { name: "v1beta1.metrics.k8s.io" },
      spec: { service: { namespace: "platform-system", name: "metrics-server" } },
      status: { conditions: [{ type: "Available", status: "False", message: 'service/metrics-server in "platform-system" is not present' }] },
    };
    const [cause] = stuckCauses(terminating([DISCOVERY]), [apiService]);
    expect(cause).to.deep.equal({
      condition: "NamespaceDeletionDiscoveryFailure",
      text: 'APIService v1beta1.metrics.k8s.io unavailable (service/metrics-server in "platform-system" is not present)',
      advice: "fix the service behind it or delete it: kubectl delete apiservice v1beta1.metrics.k8s.io",
    });
  });

  it("names the finalizer and the objects it holds, with the patch that removes it", () => {
    const [cause] = stuckCauses(terminating([FINALIZERS]), [], [{ resource: "configmaps", name: "blocker", finalizers: ["example.com/hold"] }]);
    expect(cause!.text).to.equal("finalizer example.com/hold on configmaps/blocker");
    expect(stuckCauses(terminating([FINALIZERS]))[0]!.text, "objects unknown").to.equal("finalizer example.com/hold (1 object)");
    expect(cause!.advice).to.contain(`kubectl patch configmaps/blocker -n ingress --type=merge -p '{"metadata":{"finalizers":null}}'`);
  });

  it("lists remaining content by resource, and a content deletion failure as it is", () => {
    const [remaining] = stuckCauses(terminating([CONTENT]));
    expect(remaining!.text).to.equal("remaining: 1 configmaps, 2 certificates.cert-manager.io");
    expect(remaining!.advice).to.equal("see what holds them: kubectl get configmaps,certificates.cert-manager.io -n ingress -o yaml");
    const [failed] = stuckCauses(terminating([{ type: "NamespaceDeletionContentFailure", status: "True", message: "Failed to delete all resource types, 1 remaining: Internal error occurred: failed calling webhook" }]));
    expect(failed!.text).to.equal("deleting its content fails (Failed to delete all resource types, 1 remaining: Internal error occurred: failed calling webhook)");
  });

  it("orders causes from the one that blocks to its consequences, ignoring conditions that are False", () => {
    const causes = stuckCauses(terminating([CONTENT, FINALIZERS, DISCOVERY, { type: "NamespaceDeletionContentFailure", status: "False", message: "All content successfully deleted" }]));
    expect(causes.map((c) => c.condition)).to.deep.equal(["NamespaceDeletionDiscoveryFailure", "NamespaceFinalizersRemaining", "NamespaceContentRemaining"]);
  });

  it("formats a stuck namespace as one line: the namespace, how long, each cause with its condition, what to do", () => {
    const line = formatStuckNamespace({ namespace: "ingress", terminatingForMs: 125_400, causes: stuckCauses(terminating([FINALIZERS])) });
    expect(line).to.match(/^namespace ingress stuck Terminating for 125 s: finalizer example\.com\/hold \(1 object\) \[NamespaceFinalizersRemaining\] \(to fix: remove the finalizer/);
    expect(formatStuckNamespace({ namespace: "data", terminatingForMs: 30_000, causes: [] })).to.equal("namespace data stuck Terminating for 30 s: no namespace condition explains it yet (its own finalizers remain)");
  });

  it("maps a namespace to its layer by the label its component sets", () => {
    expect(layerOfNamespace(terminating([]))).to.equal("ingress");
    expect(layerOfNamespace({ metadata: { name: "kube-system" } })).to.equal(undefined);
  });

  it("blames a failed stack on its stuck namespace and keeps the engine's error as detail; other stacks stay as they were", () => {
    const result = (layer: "ingress" | "data", outcome: StackRunResult["outcome"]): StackRunResult => ({
      stack: { layer, env: "dev", name: `${layer}-dev` },
      operation: "destroy",
      outcome,
      durationMs: 1,
      attempts: 1,
      notes: [],
    });
    const stuck = [{ layer: "ingress", namespace: "ingress", terminatingForMs: 61_000, causes: stuckCauses(terminating([FINALIZERS])) }];
    const [ingress, data] = blameStuckNamespaces(
      [result("ingress", { status: "failed", error: "ingress-ns (kubernetes:core/v1:Namespace) delete failed: timed out waiting for the condition", detail: "pulumi destroy ..." }), result("data", { status: "failed", error: "other" })],
      stuck,
    );
    expect(ingress!.outcome).to.deep.equal({
      status: "failed",
      error: formatStuckNamespace(stuck[0]!),
      detail: "engine: ingress-ns (kubernetes:core/v1:Namespace) delete failed: timed out waiting for the condition\npulumi destroy ...",
    });
    expect(data!.outcome).to.deep.equal({ status: "failed", error: "other" });
  });
});

describe("destroy: the CRDs the platform's charts leave, and purging them", () => {
  const crd = (name: string, annotations?: Record<string, string>): CrdView => ({
    metadata: { name, ...(annotations ? { annotations } : {}) },
    spec: { group: name.slice(name.indexOf(".") + 1), names: { plural: name.slice(0, name.indexOf(".")), kind: "X" }, versions: [{ name: "v1alpha1", served: true }, { name: "v1", served: true, storage: true }] },
  });

  it("keeps only CRDs a platform chart ships in crds/ or a platform release templated, saying why for each", () => {
    const live = [
      crd("certificates.cert-manager.io", { "meta.helm.sh/release-name": "cert-manager", "helm.sh/resource-policy": "keep" }),
      crd("prometheuses.monitoring.coreos.com"),
      crd("widgets.example.com"),
      crd("things.other.io", { "meta.helm.sh/release-name": "someone-elses" }),
      crd("modules.getambassador.io", { "meta.helm.sh/release-name": "emissary-crds-chart" }),
    ];
    const kept = platformCrds(live, new Map([["prometheuses.monitoring.coreos.com", "kube-prometheus-stack"]]), new Set(["cert-manager", "emissary-crds-chart", "kube-prometheus-stack"]));
    expect(kept).to.deep.equal([
      { name: "certificates.cert-manager.io", chart: "cert-manager", why: "helm.sh/resource-policy: keep" },
      { name: "modules.getambassador.io", chart: "emissary-crds-chart", why: "left by its release" },
      { name: "prometheuses.monitoring.coreos.com", chart: "kube-prometheus-stack", why: "chart crds/ directory" },
    ]);
    expect(formatKeptCrds(kept)).to.equal(
      "kept by Helm by design (helm.sh/resource-policy: keep: 1, left by its release: 1, chart crds/ directory: 1), 3 CRDs of the platform's charts: certificates.cert-manager.io (cert-manager), modules.getambassador.io (emissary-crds-chart), prometheuses.monitoring.coreos.com (kube-prometheus-stack); `destroy --purge-crds` removes them with their custom resources",
    );
    expect(formatKeptCrds([])).to.equal("left behind: no CRDs of the platform's charts");
  });

  it("splits helm show crds output into objects, also where files run into each other without ---", () => {
    const text = ["# a file without a separator", "apiVersion: v1", "kind: A", "metadata:", "  name: a", "apiVersion: v1", "kind: B", "---", "kind: C", "apiVersion: v1", "", "---", ""].join("\n");
    expect(yamlObjects(text)).to.deep.equal(["# a file without a separator\napiVersion: v1\nkind: A\nmetadata:\n  name: a", "apiVersion: v1\nkind: B", "kind: C\napiVersion: v1\n"]);
  });

  it("counts custom resources through the storage version, and warns with each CRD's count and the total", () => {
    expect(customResourcesPath(crd("certificates.cert-manager.io"))).to.equal("/apis/cert-manager.io/v1/certificates");
    expect(purgeWarning([{ name: "certificates.cert-manager.io", customResources: 2 }, { name: "issuers.cert-manager.io", customResources: undefined }])).to.equal(
      [
        "warning: --purge-crds deletes 2 CRD(s) of the platform's charts, and with each CRD every custom resource of it in every namespace (2 in all), whoever made them:",
        "  certificates.cert-manager.io: 2 custom resource(s) cluster-wide",
        "  issuers.cert-manager.io: custom resources could not be counted",
      ].join("\n"),
    );
  });

  it("asks for --yes where no terminal can confirm, refuses --layers, and needs nothing on a terminal", () => {
    expect(purgeFlagsProblem({ purgeCrds: true }, false)).to.match(/add --yes to confirm/);
    expect(purgeFlagsProblem({ purgeCrds: true }, true)).to.equal(undefined);
    expect(purgeFlagsProblem({ purgeCrds: true, yes: true }, false)).to.equal(undefined);
    expect(purgeFlagsProblem({ purgeCrds: true, yes: true, layers: ["mesh"] }, false)).to.match(/drop --layers/);
    expect(purgeFlagsProblem({}, false)).to.equal(undefined);
  });
});

describe("reaching an environment's cluster", () => {
  const dir = path.resolve(__dirname, "../../../environments");
  it("bounds a local namespace delete to 2 minutes; the cloud environments, prod included, keep the provider's 10", () => {
    expect(loadEnvironment("local", { dir }).cluster.namespaceDeleteTimeoutSeconds).to.equal(120);
    for (const env of ["dev", "staging", "prod", "dev-azure"]) expect(loadEnvironment(env, { dir }).cluster.namespaceDeleteTimeoutSeconds, env).to.equal(600);
  });

  it("uses the token in the local kubeconfig file for local, and the foundation stack's kubeconfig output elsewhere", () => {
    expect(clusterAccess(loadEnvironment("local", { dir }), "/repo")).to.deep.equal({ kind: "token", kubeconfigFile: "/repo/.platform/cluster/kubeconfig" });
    for (const env of ["dev", "prod", "dev-azure"]) {
      expect(clusterAccess(loadEnvironment(env, { dir }), "/repo")).to.deep.equal({ kind: "foundation-kubeconfig", stack: `foundation-${env}`, output: "kubeconfig" });
    }
  });
});
