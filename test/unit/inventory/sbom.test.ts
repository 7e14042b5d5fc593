import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Spec, Validation } from "@cyclonedx/cyclonedx-library";
import { loadEnvironment } from "../../../environments/load";
import { renderBom } from "../../../orchestrator/inventory/bom";
import { collectInventory } from "../../../orchestrator/inventory/collect";
import { parseImageRef } from "../../../orchestrator/inventory/image-ref";
import { imagesInManifests } from "../../../orchestrator/inventory/images";
import type { Inventory } from "../../../orchestrator/inventory/model";
import { npmPackages } from "../../../orchestrator/inventory/npm-packages";

const root = path.resolve(__dirname, "../../..");
const fixtures = path.join(root, "test/fixtures");
// Where CI puts the real upstream chart archives (a Helm repository folder).
const sharedCharts = process.env.PLATFORM_CHART_SOURCE ?? path.resolve(root, "../shared/charts");

interface CdxComponent {
  readonly "bom-ref": string;
  readonly type: string;
  readonly name: string;
  readonly group?: string;
  readonly version?: string;
  readonly purl?: string;
  readonly scope?: string;
  readonly hashes?: { alg: string; content: string }[];
  readonly properties?: { name: string; value: string }[];
}
interface CdxDocument {
  readonly bomFormat: string;
  readonly specVersion: string;
  readonly components: readonly CdxComponent[];
  readonly dependencies: readonly { ref: string; dependsOn?: string[] }[];
}

async function schemaErrors(json: string): Promise<unknown> {
  return new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
}

describe("SBOM (CycloneDX)", () => {
  it("splits image references into registry, repository, tag and digest", () => {
    expect(parseImageRef("nginx")).to.deep.include({ registry: "docker.io", repository: "library/nginx", tag: "latest" });
    expect(parseImageRef("grafana/grafana:12.1.0")).to.deep.include({ registry: "docker.io", repository: "grafana/grafana", tag: "12.1.0" });
    expect(parseImageRef("registry.example.com:5000/tools/backup@sha256:abc")).to.deep.equal({
      reference: "registry.example.com:5000/tools/backup@sha256:abc",
      registry: "registry.example.com:5000",
      repository: "tools/backup",
      digest: "sha256:abc",
    });
    expect(parseImageRef("quay.io/cilium/cilium:v1.20.0@sha256:def")).to.deep.include({ registry: "quay.io", repository: "cilium/cilium", tag: "v1.20.0", digest: "sha256:def" });
  });

  it("finds the images of every pod template, custom resource, image flag and image variable in rendered objects", () => {
    const uses = imagesInManifests(fs.readFileSync(path.join(fixtures, "manifests/workloads.yaml"), "utf8"));
    expect(uses).to.deep.equal([
      { image: "ghcr.io/example/migrate:1.2.0", object: "Deployment/web" },
      { image: "nginx:1.27", object: "Deployment/web" },
      { image: "quay.io/jetstack/cert-manager-acmesolver:v1.21.1", object: "Deployment/web" },
      { image: "registry.example.com:5000/tools/backup@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", object: "CronJob/backup" },
      { image: "quay.io/prometheus/prometheus:v3.5.0", object: "Prometheus/main" },
      { image: "quay.io/strimzi/operator:1.2.0", object: "Deployment/strimzi-cluster-operator" },
      { image: "quay.io/strimzi/kafka:1.2.0-kafka-4.0.0", object: "Deployment/strimzi-cluster-operator" },
      { image: "quay.io/strimzi/kafka:1.2.0-kafka-4.1.0", object: "Deployment/strimzi-cluster-operator" },
    ]);
  });

  it("lists the project's npm packages once each, runtime ones as required", () => {
    const packages = npmPackages(JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8")));
    const prom = packages.find((p) => p.name === "prom-client")!;
    expect(prom).to.deep.include({ dev: false });
    expect(prom.integrity).to.match(/^sha512-/);
    expect(packages.find((p) => p.name === "mocha")).to.deep.include({ dev: true });
    expect(new Set(packages.map((p) => `${p.name}@${p.version}`)).size).to.equal(packages.length);
  });

  it("writes a document that is valid against the CycloneDX 1.6 schema", async () => {
    const inventory: Inventory = {
      env: "dev",
      target: "aws",
      generatedAt: "2026-11-27T10:00:00.000Z",
      project: { name: "platform-orchestrator", version: "0.1.0" },
      charts: [
        {
          layer: "foundation",
          component: "metricsServer",
          chart: { name: "metrics-server", version: "3.13.1", repository: "https://kubernetes-sigs.github.io/metrics-server" },
          archiveSha256: "a".repeat(64),
          images: { "registry.k8s.io/metrics-server/metrics-server:v0.8.1": ["Deployment/metrics-server"], [`busybox@sha256:${"b".repeat(64)}`]: ["Job/x"] },
        },
        { layer: "ingress", component: "certManager", chart: { name: "cert-manager", version: "v1.21.1", repository: "https://charts.jetstack.io" }, images: {}, problem: "no archive" },
      ],
      npm: npmPackages(JSON.parse(fs.readFileSync(path.join(root, "package-lock.json"), "utf8"))),
    };
    const json = renderBom(inventory, "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79");
    expect(await schemaErrors(json)).to.equal(null);
    const doc = JSON.parse(json) as CdxDocument;
    expect(doc).to.deep.include({ bomFormat: "CycloneDX", specVersion: "1.6" });
    const image = doc.components.find((c) => c["bom-ref"] === "image:registry.k8s.io/metrics-server/metrics-server:v0.8.1")!;
    expect(image).to.deep.include({ type: "container", name: "registry.k8s.io/metrics-server/metrics-server", version: "v0.8.1", purl: "pkg:oci/metrics-server?repository_url=registry.k8s.io%2Fmetrics-server%2Fmetrics-server&tag=v0.8.1" });
    const pinned = doc.components.find((c) => c["bom-ref"].startsWith("image:busybox@"))!;
    expect(pinned.hashes).to.deep.equal([{ alg: "SHA-256", content: "b".repeat(64) }]);
    expect(doc.dependencies.find((d) => d.ref === "chart:metrics-server@3.13.1")!.dependsOn).to.include(image["bom-ref"]);
    expect(doc.components.find((c) => c.name === "cert-manager")!.properties).to.deep.include({ name: "platform:images-unknown", value: "no archive" });
    expect(doc.components.find((c) => c.name === "cyclonedx-library")).to.deep.include({ group: "@cyclonedx", scope: "required" });
  });

  it("renders a real chart with the environment's values and lists the images its objects run", async function () {
    this.timeout(120_000);
    const env = loadEnvironment("sbom", { dir: path.join(fixtures, "environments") });
    const said: string[] = [];
    const inventory = await collectInventory(env, { root, helm: process.env.HELM_BIN ?? "helm", chartFolders: [sharedCharts], say: (line) => said.push(line) });
    expect(said).to.deep.equal([]);
    expect(inventory.charts).to.have.length(1);
    const [chart] = inventory.charts;
    expect(chart!.archive).to.equal(path.join(sharedCharts, "metrics-server-3.13.1.tgz"));
    expect(chart!.images).to.deep.equal({ "registry.k8s.io/metrics-server/metrics-server:v0.8.1": ["Deployment/metrics-server"] });
    const json = renderBom(inventory);
    expect(await schemaErrors(json)).to.equal(null);
    expect((JSON.parse(json) as CdxDocument).components.map((c) => c["bom-ref"])).to.include("image:registry.k8s.io/metrics-server/metrics-server:v0.8.1");
  });
});
