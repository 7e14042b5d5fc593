import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { LAYER_DEPENDENCIES, type LayerName } from "../../environments/layers";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { CHART_SOURCE } from "../support/chart-source";
import { clusterListing, formatListing } from "../support/cluster-listing";
import { clusterObjects } from "../support/cluster-objects";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type CommandResult, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

const ENV = "e2e";
const LAYERS = ["foundation", "ingress", "observability", "gitops", "security", "mesh", "data"];

/**
 * What runs left under the checkout's temp directory, besides ts-node's compile cache of the
 * TypeScript compiler (code only); fails if any file there holds the cluster's token.
 */
function tempLeftovers(checkout: TempCheckout, token: string): string[] {
  const entries = fs.readdirSync(checkout.env.TMPDIR!, { recursive: true }).map(String);
  for (const entry of entries) {
    const file = path.join(checkout.env.TMPDIR!, entry);
    if (fs.statSync(file).isFile()) expect(fs.readFileSync(file).includes(token), `${entry} holds the cluster token`).to.equal(false);
  }
  return entries.filter((entry) => !entry.startsWith("v8-compile-cache"));
}

function record(result: CommandResult): RunRecord {
  expect(result.stderr, result.stdout).to.not.match(/^error:/m);
  return (JSON.parse(result.stdout) as { run: RunRecord }).run;
}

describe("end to end: the CLI on a local cluster", function () {
  this.timeout(900_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    // A second local environment on its own cluster: the blueprint's local settings, this cluster's kubeconfig.
    fs.writeFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\n`);
    const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", ENV, "--from", CHART_SOURCE]);
    expect(charts.code, charts.stderr).to.equal(0);
  });
  after(async () => {
    checkout?.dispose();
    await cluster?.dispose();
  });

  it("previews an environment that was never deployed: every stack previews, nothing is created in the cluster", async () => {
    const before = await clusterObjects(cluster);
    const preview = await checkout.cli(["preview", "--env", ENV, "--json"]);
    expect(preview.code, preview.stderr).to.equal(0);
    expect(record(preview).stacks.map((s) => [s.stack.layer, s.outcome.status])).to.deep.equal(LAYERS.map((layer) => [layer, "succeeded"]));
    // The whole cluster: every object of every listable type (events aside) that was not there before the preview.
    const after = await clusterObjects(cluster);
    const known = new Set(before);
    expect(after.filter((object) => !known.has(object)), "objects the preview created").to.deep.equal([]);
    expect(after.length, "the listing sees the cluster's own objects").to.be.greaterThan(0);
  });

  it("up deploys every enabled layer; the cluster has them; pulumi preview from the root shows no changes", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--json"]);
    const run = record(up);
    expect(up.code, up.stderr).to.equal(0);
    expect(tempLeftovers(checkout, cluster.token), "no kubeconfig or log left in the temp directory").to.deep.equal([]);
    expect(run.stacks.map((s) => [s.stack.layer, s.outcome.status])).to.deep.equal(LAYERS.map((layer) => [layer, "succeeded"]));
    const start = (layer: string) => Date.parse(run.stacks.find((s) => s.stack.layer === layer)!.startedAt!);
    const end = (layer: string) => start(layer) + run.stacks.find((s) => s.stack.layer === layer)!.durationMs;
    expect(start("ingress")).to.be.at.least(end("foundation"));
    expect(start("mesh")).to.be.at.least(Math.max(end("ingress"), end("observability")));

    for (const namespace of ["platform-system", "ingress", "observability", "gitops", "security", "istio-system", "data"]) {
      const quota = await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${namespace}/resourcequotas/platform-quota`);
      expect(quota.status, namespace).to.equal(200);
    }
    const istiod = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/istio-system/deployments/istiod");
    expect(istiod.status).to.equal(200);
    const mtls = await kubeGet(cluster.server, cluster.token, "/apis/security.istio.io/v1/namespaces/istio-system/peerauthentications/default");
    expect(mtls.body.spec.mtls.mode).to.equal("STRICT");
    const issuer = await kubeGet(cluster.server, cluster.token, "/apis/cert-manager.io/v1/namespaces/ingress/issuers/selfsigned");
    expect(issuer.status, "cert-manager's Issuer, created after its CRDs").to.equal(200);
    const listing = await clusterListing(cluster);
    console.log(formatListing("cluster after up", listing));
    expect(listing.webhooks.length).to.be.greaterThan(0);
    const grafanaSecret = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/observability/secrets/grafana-admin");
    expect(grafanaSecret.status).to.equal(200);
    expect(JSON.stringify(run)).to.not.contain(Buffer.from(grafanaSecret.body.data["admin-password"], "base64").toString());

    for (const layer of LAYERS) {
      const preview = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${layer}-${ENV} --expect-no-changes --non-interactive`]);
      expect(preview.code, `${layer}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
    }
  });

  it("a second up skips every stack, and status/history report the runs", async () => {
    const again = await checkout.cli(["up", "--env", ENV, "--json"]);
    expect(again.code, again.stderr).to.equal(0);
    expect(record(again).stacks.map((s) => s.outcome.status)).to.deep.equal(LAYERS.map(() => "unchanged"));

    const status = JSON.parse((await checkout.cli(["status", "--env", ENV, "--json"])).stdout);
    expect(status.stacks.every((s: { deployed: boolean }) => s.deployed)).to.equal(true);
    const history = JSON.parse((await checkout.cli(["history", "--env", ENV, "--json"])).stdout);
    expect(history.runs.map((r: { operation: string }) => r.operation)).to.deep.equal(["preview", "up", "up"]);
    expect(history.stats.stacks).to.have.length(7);
    expect(history.stats.successRate).to.equal(1);
  });

  it("a second run while one holds the environment is refused with exit code 4", async () => {
    const lockFile = path.join(checkout.env.PLATFORM_DATA!, "locks", `${ENV}.lock`);
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: require("node:os").hostname(), user: "someone", operation: "up", startedAt: "2026-11-23T00:00:00Z" }));
    const refused = await checkout.cli(["up", "--env", ENV]);
    fs.rmSync(lockFile);
    expect(refused.code).to.equal(4);
    expect(refused.stderr).to.contain(`environment ${ENV} is locked by someone@`);
  });

  it("drift right after up reports nothing for any layer, inside the Helm releases too", async () => {
    const drift = await checkout.cli(["drift", "--env", ENV, "--json"]);
    type Checked = { stack: string; drift: unknown[]; pending: unknown[]; error?: string; driftFrom?: string };
    const stacks = JSON.parse(drift.stdout).report.stacks as Checked[];
    expect(stacks.filter((s) => s.drift.length + s.pending.length > 0 || s.error), drift.stdout).to.deep.equal([]);
    expect(stacks).to.have.length(LAYERS.length);
    expect(drift.code, drift.stderr).to.equal(0);
    // Only observability holds a Secret (Grafana's admin password) the live-object proof cannot compare.
    expect(stacks.filter((s) => s.driftFrom !== "live-objects").map((s) => s.stack)).to.deep.equal([`observability-${ENV}`]);
    const engine = await checkout.cli(["drift", "--env", ENV, "--json", "--refresh-all"]);
    expect(engine.code, engine.stderr).to.equal(0);
    expect((JSON.parse(engine.stdout).report.stacks as Checked[]).map((s) => [s.driftFrom, s.drift.length])).to.deep.equal(LAYERS.map(() => ["refresh", 0]));
  });

  it("drift sees objects inside Helm releases: a scale to 0, a deleted ConfigMap, an edited label, an edited quota, an image, an env var, Secret data, an annotation; up restores them", async () => {
    const kubectl = (...args: string[]) => checkout.exec("kubectl", ["--kubeconfig", cluster.kubeconfigPath, ...args]);
    const alertmanagerPath = "/api/v1/namespaces/observability/secrets/alertmanager-kube-prometheus-stack-alertmanager";
    const installedConfig = (await kubeGet(cluster.server, cluster.token, alertmanagerPath)).body.data["alertmanager.yaml"] as string;
    const secretValue = `route: {receiver: edited-${process.pid}-${Date.now()}}`;
    for (const edit of [
      ["-n", "ingress", "scale", "deployment", "cert-manager", "--replicas", "0"],
      ["-n", "observability", "delete", "configmap", "grafana"],
      ["-n", "gitops", "label", "--overwrite", "deployment", "argo-cd-argocd-server", "app.kubernetes.io/part-of=edited"],
      ["-n", "data", "patch", "resourcequota", "platform-quota", "--type", "merge", "-p", '{"spec":{"hard":{"requests.cpu":"9"}}}'],
      ["-n", "platform-system", "set", "image", "deployment/metrics-server", "metrics-server=registry.k8s.io/metrics-server/metrics-server:v0.0.1-edited"],
      ["-n", "data", "set", "env", "deployment/strimzi-cluster-operator", "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS=1"],
      ["-n", "observability", "patch", "secret", "alertmanager-kube-prometheus-stack-alertmanager", "--type", "merge", "-p", JSON.stringify({ stringData: { "alertmanager.yaml": secretValue } })],
      ["-n", "observability", "annotate", "--overwrite", "service", "kube-prometheus-stack-prometheus-node-exporter", "prometheus.io/scrape=false"],
    ]) {
      const result = await kubectl(...edit);
      expect(result.code, result.stderr).to.equal(0);
    }
    const found = await checkout.cli(["drift", "--env", ENV, "--json"]);
    expect(found.code, found.stderr).to.equal(2);
    const stacks = JSON.parse(found.stdout).report.stacks as { stack: string; driftFrom?: string; drift: { type: string; name: string; op: string; properties: { path: string; old?: unknown; new?: unknown }[] }[] }[];
    const drift = (layer: string) => stacks.find((s) => s.stack === `${layer}-${ENV}`)!.drift;
    expect(drift("ingress").find((d) => d.name === "ingress/cert-manager")).to.deep.include({ type: "kubernetes:apps/v1:Deployment", op: "update" });
    expect(drift("ingress").find((d) => d.name === "ingress/cert-manager")!.properties).to.deep.include({ path: "spec.replicas", kind: "update", old: 1, new: 0 });
    expect(drift("observability").find((d) => d.name === "observability/grafana" && d.type === "kubernetes:core/v1:ConfigMap")).to.deep.include({ op: "delete" });
    const label = drift("gitops").find((d) => d.name === "gitops/argo-cd-argocd-server" && d.type === "kubernetes:apps/v1:Deployment")!;
    expect(label.properties.map((p) => [p.path, p.new])).to.deep.include(['metadata.labels["app.kubernetes.io/part-of"]', "edited"]);
    expect(drift("data").find((d) => d.type === "kubernetes:core/v1:ResourceQuota")!.properties[0]).to.deep.include({ path: 'spec.hard["requests.cpu"]', new: "9" });
    expect(stacks.find((s) => s.stack === `data-${ENV}`)).to.deep.include({ driftFrom: "refresh" });
    const property = (layer: string, type: string, name: string) => drift(layer).find((d) => d.type === type && d.name === name)?.properties ?? [];
    expect(property("foundation", "kubernetes:apps/v1:Deployment", "platform-system/metrics-server")).to.deep.include({
      path: "spec.template.spec.containers[name=metrics-server].image", kind: "update",
      old: "registry.k8s.io/metrics-server/metrics-server:v0.8.1", new: "registry.k8s.io/metrics-server/metrics-server:v0.0.1-edited",
    });
    expect(property("data", "kubernetes:apps/v1:Deployment", "data/strimzi-cluster-operator")).to.deep.include({
      path: "spec.template.spec.containers[name=strimzi-cluster-operator].env[name=STRIMZI_FULL_RECONCILIATION_INTERVAL_MS].value", kind: "update", old: "120000", new: "1",
    });
    expect(property("observability", "kubernetes:core/v1:Secret", "observability/alertmanager-kube-prometheus-stack-alertmanager")).to.deep.equal([
      { path: 'data["alertmanager.yaml"]', kind: "update", old: "[secret]", new: "[secret]" },
    ]);
    expect(property("observability", "kubernetes:core/v1:Service", "observability/kube-prometheus-stack-prometheus-node-exporter")).to.deep.include({
      path: 'metadata.annotations["prometheus.io/scrape"]', kind: "update", old: "true", new: "false",
    });
    const table = await checkout.cli(["drift", "--env", ENV, "--markdown", path.join(checkout.env.TMPDIR!, "drift.md")]);
    expect(table.code).to.equal(2);
    expect(table.stderr + table.stdout).to.contain('spec.template.spec.containers[name=metrics-server].image: registry.k8s.io/metrics-server/metrics-server:v0.8.1 -> registry.k8s.io/metrics-server/metrics-server:v0.0.1-edited');
    const markdown = fs.readFileSync(path.join(checkout.env.TMPDIR!, "drift.md"), "utf8");
    fs.rmSync(path.join(checkout.env.TMPDIR!, "drift.md"));
    expect(markdown).to.contain('| data["alertmanager.yaml"] | [secret] | [secret] |');

    const fixed = await checkout.cli(["drift", "--env", ENV, "--remediate", "up", "--json"]);
    expect(fixed.code, fixed.stdout + fixed.stderr).to.equal(0);
    const history = fs.readdirSync(path.join(checkout.env.PLATFORM_DATA!, "history"), { recursive: true }).map(String).filter((f) => fs.statSync(path.join(checkout.env.PLATFORM_DATA!, "history", f)).isFile());
    const written = [found, table, fixed].flatMap((r) => [r.stdout, r.stderr]).concat(markdown, ...history.map((f) => fs.readFileSync(path.join(checkout.env.PLATFORM_DATA!, "history", f), "utf8")));
    for (const form of [secretValue, Buffer.from(secretValue).toString("base64"), Buffer.from(installedConfig, "base64").toString(), installedConfig]) {
      expect(written.filter((text) => text.includes(form)), "a Secret value in drift output or history").to.deep.equal([]);
    }
    const clean = await checkout.cli(["drift", "--env", ENV]);
    expect(clean.code, clean.stdout + clean.stderr).to.equal(0);
    const metricsServer = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/platform-system/deployments/metrics-server");
    expect(metricsServer.body.spec.template.spec.containers[0].image).to.equal("registry.k8s.io/metrics-server/metrics-server:v0.8.1");
    const strimzi = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/data/deployments/strimzi-cluster-operator");
    expect(strimzi.body.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === "STRIMZI_FULL_RECONCILIATION_INTERVAL_MS").value).to.equal("120000");
    expect((await kubeGet(cluster.server, cluster.token, alertmanagerPath)).body.data["alertmanager.yaml"]).to.equal(installedConfig);
    const nodeExporter = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/observability/services/kube-prometheus-stack-prometheus-node-exporter");
    expect(nodeExporter.body.metadata.annotations["prometheus.io/scrape"]).to.equal("true");
    expect((await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/ingress/deployments/cert-manager")).body.spec.replicas).to.equal(1);
    expect((await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/observability/configmaps/grafana")).status).to.equal(200);
    const server = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/gitops/deployments/argo-cd-argocd-server");
    expect(server.body.metadata.labels["app.kubernetes.io/part-of"]).to.equal("argocd");
    expect((await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/data/resourcequotas/platform-quota")).body.spec.hard["requests.cpu"]).to.not.equal("9");
  });

  it("a preview of a values change names the Deployment and field it changes inside the release", async () => {
    const file = path.join(checkout.dir, "environments", `${ENV}.yaml`);
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, `${original}layers:\n  ingress:\n    components:\n      emissary: { replicas: 2 }\n`);
    const preview = await checkout.cli(["preview", "--env", ENV, "--layers", "ingress", "--json"]).finally(() => fs.writeFileSync(file, original));
    expect(preview.code, preview.stderr).to.equal(0);
    const changes = JSON.parse(preview.stdout).releaseChanges[`ingress-${ENV}`] as { type: string; name: string; properties: { path: string; old: unknown; new: unknown }[] }[];
    const emissary = changes.find((c) => c.type === "kubernetes:apps/v1:Deployment" && c.name === "ingress/emissary-ingress")!;
    expect(emissary.properties).to.deep.include({ path: "spec.replicas", kind: "update", old: 1, new: 2 });
    expect(preview.stderr).to.contain("update kubernetes:apps/v1:Deployment ingress/emissary-ingress  spec.replicas: 1 -> 2");
  });

  it("destroy removes the stacks dependents first (each only after all that depend on it), and leaves only the CRDs Helm keeps, listed in its summary", async () => {
    fs.rmSync(checkout.env.TMPDIR!, { recursive: true, force: true });
    fs.mkdirSync(checkout.env.TMPDIR!);
    const destroy = await checkout.cli(["destroy", "--env", ENV, "--json"]);
    const run = record(destroy);
    expect(destroy.code, destroy.stderr).to.equal(0);
    expect(tempLeftovers(checkout, cluster.token)).to.deep.equal([]);
    expect(run.stacks.every((s) => s.outcome.status === "succeeded")).to.equal(true);
    // The full reverse order, from the run's own record: a stack's destroy starts only once the destroy
    // of every stack that depends on it has finished (foundation last, ingress and observability after gitops, security, mesh and data).
    const start = (layer: string) => Date.parse(run.stacks.find((s) => s.stack.layer === layer)!.startedAt!);
    const end = (layer: string) => start(layer) + run.stacks.find((s) => s.stack.layer === layer)!.durationMs;
    const pairs = LAYERS.flatMap((dependent) => LAYER_DEPENDENCIES[dependent as LayerName].map((dependency) => [dependency, dependent] as const));
    expect(pairs).to.have.length.greaterThan(LAYERS.length);
    for (const [dependency, dependent] of pairs) expect(start(dependency), `${dependency} destroyed after ${dependent}`).to.be.at.least(end(dependent));
    const deployment = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/istio-system/deployments/istiod");
    expect(deployment.status).to.equal(404);
    const listing = await clusterListing(cluster);
    console.log(formatListing("cluster after destroy", listing));
    expect(listing.namespaces, "project namespaces left").to.deep.equal([]);
    expect(listing.webhooks, "webhook configurations left").to.deep.equal([]);
    expect(listing.apiServices, "APIServices left").to.deep.equal([]);
    expect(listing.clusterRoles, "cluster roles left").to.deep.equal([]);
    expect(listing.crds.length, "Helm keeps CRDs by design").to.be.greaterThan(0);
    // The local cluster has no CRDs of its own: every one left is a platform chart's, each with the reason Helm kept it.
    const kept = (JSON.parse(destroy.stdout) as { keptCrds: { name: string; chart: string; why: string }[] }).keptCrds;
    expect(kept.map((crd) => crd.name)).to.deep.equal(listing.crds);
    expect(kept.find((crd) => crd.name === "certificates.cert-manager.io")).to.deep.equal({ name: "certificates.cert-manager.io", chart: "cert-manager", why: "helm.sh/resource-policy: keep" });
    expect(destroy.stderr).to.match(new RegExp(`kept by Helm by design \\(.*chart crds/ directory: \\d+.*\\), ${listing.crds.length} CRDs of the platform's charts: `));
  });
});
