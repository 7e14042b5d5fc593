import { expect } from "chai";
import * as path from "node:path";
import { helmTemplate } from "../../../orchestrator/releases/helm-template";
import { manifestObjects, objectDrift, type KubeObject } from "../../../orchestrator/releases/release-objects";
import { quantityValue, sameQuantity } from "../../../orchestrator/releases/quantity";
import { CHART_SOURCE } from "../../support/chart-source";

type Mutable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests edit objects of every kind in place

/** Real charts rendered as Helm installs them; resources written the long way so the server's canonical form differs. */
async function render(chart: string, release: string, namespace: string, values: object = {}): Promise<KubeObject[]> {
  const result = await helmTemplate(path.join(CHART_SOURCE, `${chart}.tgz`), release, namespace, values);
  if (!result.ok) throw new Error(result.error);
  return manifestObjects({ name: release, namespace, version: 1, manifest: result.text });
}

const CANONICAL: Readonly<Record<string, string>> = { "0.1": "100m", "1024Mi": "1Gi", "1000m": "1", "0.5Gi": "512Mi" };

/**
 * The object as the API server returns it after Helm applied it: its own metadata and Helm's
 * annotations, status, defaults, zero values dropped, quantities in canonical form, keyed lists in
 * another order. Each is something drift must not report.
 */
function served(object: KubeObject): KubeObject {
  const live = structuredClone(object) as Mutable;
  live.metadata = {
    ...live.metadata,
    uid: "6f1c", resourceVersion: "4711", generation: 3, creationTimestamp: "2026-11-28T05:00:00Z",
    managedFields: [{ manager: "helm", operation: "Update" }],
    labels: { ...live.metadata.labels, "pod-template-hash": "abc" },
    annotations: { ...live.metadata.annotations, "meta.helm.sh/release-name": "r", "deployment.kubernetes.io/revision": "1" },
  };
  live.status = { observedGeneration: 3, replicas: 1 };
  const pod = live.spec?.template?.spec;
  if (pod) {
    Object.assign(pod, { dnsPolicy: "ClusterFirst", schedulerName: "default-scheduler", terminationGracePeriodSeconds: 30 });
    pod.restartPolicy ??= "Always";
    for (const container of pod.containers) {
      Object.assign(container, { terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" });
      container.imagePullPolicy ??= "IfNotPresent";
      for (const port of container.ports ?? []) port.protocol ??= "TCP";
      container.env?.reverse();
      container.ports?.push({ containerPort: 9999, name: "added-by-hand" });
    }
    pod.volumes?.reverse();
  }
  if (live.kind === "Deployment") live.spec.strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } };
  if (live.kind === "Service") Object.assign(live.spec, { clusterIP: "10.0.0.12", clusterIPs: ["10.0.0.12"], sessionAffinity: "None" });
  return withoutZeroValues(canonicalQuantities(live)) as KubeObject;
}

function canonicalQuantities(value: any): any { // eslint-disable-line @typescript-eslint/no-explicit-any -- any JSON value
  if (Array.isArray(value)) return value.map(canonicalQuantities);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, ["requests", "limits"].includes(key) ? mapValues(item as Mutable, (q) => CANONICAL[q] ?? q) : canonicalQuantities(item)]));
}

function withoutZeroValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutZeroValues);
  if (value === null || typeof value !== "object") return value;
  const kept = Object.entries(value).filter(([, item]) => !(item === false || item === 0 || item === "" || item === null || (Array.isArray(item) && item.length === 0)));
  return Object.fromEntries(kept.map(([key, item]) => [key, withoutZeroValues(item)]));
}

const mapValues = (map: Mutable, f: (value: string) => string) => Object.fromEntries(Object.entries(map).map(([key, value]) => [key, f(String(value))]));

function find(objects: readonly KubeObject[], kind: string, name: string): KubeObject {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`${kind} ${name} not rendered`);
  return object;
}

/** The drift of a served copy of `object` after `edit`, as [path, old, new]. */
function driftAfter(object: KubeObject, edit: (live: Mutable) => void): [string, unknown, unknown][] {
  const live = served(object) as Mutable;
  edit(live);
  return (objectDrift("r", object, live as KubeObject)?.properties ?? []).map((p) => [p.path, p.old, p.new]);
}

const container = (live: Mutable, name: string) => live.spec.template.spec.containers.find((c: Mutable) => c.name === name);

describe("drift of the fields a release sets (real charts)", function () {
  this.timeout(60_000);
  let metricsServer: KubeObject[];
  let grafana: KubeObject[];
  let certManager: KubeObject[];

  before(async () => {
    const resources = { requests: { cpu: "0.1", memory: "1024Mi" }, limits: { cpu: "1000m", memory: "0.5Gi" } };
    [metricsServer, grafana, certManager] = await Promise.all([
      render("metrics-server-3.13.1", "metrics-server", "platform-system", { resources }),
      render("grafana-12.11.1", "grafana", "observability", { resources }),
      render("cert-manager-v1.21.1", "cert-manager", "ingress"),
    ]);
  });

  it("reports nothing for any object of three real charts as the API server returns it", () => {
    const objects = [...metricsServer, ...grafana, ...certManager];
    expect(objects.length).to.be.greaterThan(40);
    const drift = objects.flatMap((object) => objectDrift("r", object, served(object)) ?? []);
    expect(drift.map((d) => [d.name, d.properties.map((p) => p.path)])).to.deep.equal([]);
  });

  it("compares quantities by amount: 0.1 = 100m, 1024Mi = 1Gi, 1000m = 1; a real change is reported", () => {
    const deployment = find(metricsServer, "Deployment", "metrics-server");
    expect(driftAfter(deployment, () => {})).to.deep.equal([]);
    expect(driftAfter(deployment, (live) => (container(live, "metrics-server").resources.requests.cpu = "150m"))).to.deep.equal([
      ["spec.template.spec.containers[name=metrics-server].resources.requests.cpu", "0.1", "150m"],
    ]);
    expect([quantityValue("1.5Gi"), quantityValue("2e3"), quantityValue("100m"), quantityValue("12Mx")]).to.deep.equal([1.5 * 2 ** 30, 2000, 0.1, undefined]);
    expect(sameQuantity("1k", "1000") && sameQuantity("128974848", "129e6") === false && sameQuantity("0.5", "500m")).to.equal(true);
  });

  it("takes a port written as a string for the number the server stores", () => {
    const deployment = structuredClone(find(metricsServer, "Deployment", "metrics-server")) as Mutable;
    container(deployment, "metrics-server").ports[0].containerPort = "10250";
    expect(driftAfter(deployment as KubeObject, () => {})).to.deep.equal([]);
  });

  it("ignores zero values the server drops (initialDelaySeconds: 0, emptyDir: {}, args: []) and fields it defaults", () => {
    const deployment = structuredClone(find(metricsServer, "Deployment", "metrics-server")) as Mutable;
    expect(container(deployment, "metrics-server").livenessProbe.initialDelaySeconds).to.equal(0);
    Object.assign(container(deployment, "metrics-server"), { args: [], env: [], stdin: false, workingDir: "" });
    expect(driftAfter(deployment as KubeObject, (live) => expect(container(live, "metrics-server").livenessProbe.initialDelaySeconds).to.equal(undefined))).to.deep.equal([]);
  });

  it("finds containers, env vars, ports and volumes by name, not by place, and names them in the path", () => {
    const deployment = find(grafana, "Deployment", "grafana");
    expect(driftAfter(deployment, (live) => live.spec.template.spec.containers.reverse())).to.deep.equal([]);
    const edited = driftAfter(deployment, (live) => (container(live, "grafana").env.find((e: Mutable) => e.name === "GF_PATHS_DATA").value = "/tmp"));
    expect(edited).to.deep.equal([["spec.template.spec.containers[name=grafana].env[name=GF_PATHS_DATA].value", "/var/lib/grafana/", "/tmp"]]);
    const removed = driftAfter(deployment, (live) => (container(live, "grafana").env = container(live, "grafana").env.filter((e: Mutable) => e.name !== "GF_PATHS_LOGS")));
    expect(removed.map(([p, , now]) => [p, now])).to.deep.equal([["spec.template.spec.containers[name=grafana].env[name=GF_PATHS_LOGS]", undefined]]);
    const repeated = structuredClone(deployment) as Mutable;
    container(repeated, "grafana").env.push({ name: "GF_PATHS_DATA", value: "/second" });
    expect(driftAfter(repeated as KubeObject, (live) => container(live, "grafana").env.reverse()), "a name the chart repeats pairs in order").to.deep.equal([]);
  });

  it("compares only the labels and annotations the chart sets, and none of the server's metadata or status", () => {
    const deployment = find(grafana, "Deployment", "grafana");
    expect(driftAfter(deployment, (live) => Object.assign(live.metadata.annotations, { "kubectl.kubernetes.io/restartedAt": "now" }))).to.deep.equal([]);
    expect(driftAfter(deployment, (live) => (live.status = { replicas: 0 }))).to.deep.equal([]);
    const annotated = driftAfter(deployment, (live) => (live.spec.template.metadata.annotations["checksum/config"] = "edited"));
    expect(annotated.map(([p, , now]) => [p, now])).to.deep.equal([['spec.template.metadata.annotations["checksum/config"]', "edited"]]);
    const webhook = find(certManager, "ValidatingWebhookConfiguration", "cert-manager-webhook");
    expect(driftAfter(webhook, (live) => (live.metadata.annotations["cert-manager.io/inject-ca-from-secret"] = "ingress/other"))).to.deep.equal([
      ['metadata.annotations["cert-manager.io/inject-ca-from-secret"]', "ingress/cert-manager-webhook-ca", "ingress/other"],
    ]);
  });

  it("names an image set by hand, and a scale to 0, a label edit and a deleted object as before", () => {
    const deployment = find(metricsServer, "Deployment", "metrics-server");
    expect(driftAfter(deployment, (live) => (container(live, "metrics-server").image = "registry.k8s.io/metrics-server/metrics-server:v9"))).to.deep.equal([
      ["spec.template.spec.containers[name=metrics-server].image", "registry.k8s.io/metrics-server/metrics-server:v0.8.1", "registry.k8s.io/metrics-server/metrics-server:v9"],
    ]);
    expect(driftAfter(deployment, (live) => (live.spec.replicas = 0))).to.deep.equal([["spec.replicas", 1, 0]]);
    expect(driftAfter(deployment, (live) => (live.metadata.labels["app.kubernetes.io/name"] = "edited"))).to.deep.equal([['metadata.labels["app.kubernetes.io/name"]', "metrics-server", "edited"]]);
    const configMap = find(grafana, "ConfigMap", "grafana");
    expect(objectDrift("grafana", configMap, undefined)).to.deep.include({ op: "delete", name: "observability/grafana", type: "kubernetes:core/v1:ConfigMap" });
  });

  it("names a Service's changed port and selector", () => {
    const service = find(metricsServer, "Service", "metrics-server");
    expect(driftAfter(service, (live) => (live.spec.ports[0].port = 4443))).to.deep.equal([["spec.ports[name=https].port", 443, 4443]]);
    expect(driftAfter(service, (live) => (live.spec.selector["app.kubernetes.io/name"] = "x"))).to.deep.equal([['spec.selector["app.kubernetes.io/name"]', "metrics-server", "x"]]);
  });

  it("names a ClusterRole's changed rule and a webhook's failurePolicy", () => {
    const role = find(metricsServer, "ClusterRole", "system:metrics-server");
    const verbs = (role as Mutable).rules[0].verbs as string[];
    expect(driftAfter(role, (live) => live.rules[0].verbs.push("delete"))).to.deep.equal([["rules[0].verbs", verbs, [...verbs, "delete"]]]);
    const webhook = find(certManager, "ValidatingWebhookConfiguration", "cert-manager-webhook");
    expect(driftAfter(webhook, (live) => (live.webhooks[0].failurePolicy = "Ignore"))).to.deep.equal([["webhooks[name=webhook.cert-manager.io].failurePolicy", "Fail", "Ignore"]]);
  });

  it("names a Secret's changed key and never its value, on either side; stringData counts as the data the server makes of it", () => {
    const secret = find(grafana, "Secret", "grafana") as Mutable;
    const password = Buffer.from(secret.data["admin-password"], "base64").toString();
    const change = objectDrift("grafana", secret as KubeObject, { ...served(secret as KubeObject), data: { ...secret.data, "admin-password": Buffer.from("hunter2").toString("base64") } });
    expect(change!.properties).to.deep.equal([{ path: 'data["admin-password"]', kind: "update", old: "[secret]", new: "[secret]" }]);
    for (const value of [password, secret.data["admin-password"], "hunter2", Buffer.from("hunter2").toString("base64")]) expect(JSON.stringify(change)).to.not.contain(value);
    const { data, ...withoutData } = secret;
    const asStringData = { ...withoutData, stringData: { "admin-password": password } } as Mutable;
    expect(objectDrift("grafana", asStringData as KubeObject, served(secret as KubeObject))).to.equal(undefined);
    const gone = objectDrift("grafana", secret as KubeObject, { ...served(secret as KubeObject), data: {} });
    expect(gone!.properties.map((p) => [p.path, p.old, p.new])).to.deep.include.members([['data["admin-password"]', "[secret]", undefined]]);
    expect(data).to.be.an("object");
  });
});
