import { expect } from "chai";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { DataLayer } from "../../components/data";
import { GitopsLayer } from "../../components/gitops";
import { IngressLayer } from "../../components/ingress";
import { MeshLayer } from "../../components/mesh";
import { ObservabilityLayer } from "../../components/observability";
import { SecurityLayer } from "../../components/security";
import type { KubernetesLayerArgs } from "../../components/layer-releases";
import { valuesContextOf } from "../../components/chart-values";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import type { LayerName } from "../../environments/layers";
import { ofType, recordResources, settled, valueOf, type RecordedResource } from "../support/pulumi-mocks";

type KubernetesLayer = Exclude<LayerName, "foundation">;

const NAMESPACES: Record<KubernetesLayer, string> = {
  ingress: "ingress",
  observability: "observability",
  gitops: "gitops",
  security: "security",
  mesh: "istio-system",
  data: "data",
};

function build(layer: KubernetesLayer, env: EnvironmentSpec, args: KubernetesLayerArgs) {
  switch (layer) {
    case "ingress":
      return new IngressLayer(layer, { ...args, domain: env.domain, cloudflareApiToken: pulumi.secret("cf-token-value") });
    case "observability":
      return new ObservabilityLayer(layer, { ...args, grafanaAdminPassword: pulumi.secret("grafana-password-value") });
    case "gitops":
      return new GitopsLayer(layer, args);
    case "security":
      return new SecurityLayer(layer, args);
    case "mesh":
      return new MeshLayer(layer, args);
    case "data":
      return new DataLayer(layer, args);
  }
}

async function deploy(layer: KubernetesLayer, envName: string): Promise<{ recorded: RecordedResource[]; env: EnvironmentSpec; releases: Record<string, string>; namespace: string }> {
  const recorded = recordResources(`${layer}-${envName}`);
  const env = loadEnvironment(envName);
  const provider = new k8s.Provider("cluster", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
  const component = build(layer, env, { provider, settings: env.layers[layer], chartSource: { kind: "repository" }, valuesContext: valuesContextOf(env), awaitWorkloads: env.cluster.awaitWorkloads });
  const releases = await valueOf(component.releases);
  const namespace = await valueOf(component.namespace);
  await settled(recorded);
  return { recorded, env, releases, namespace };
}

/** A release's chart name, whether it names the chart in a repository or by full OCI reference. */
const chartOf = (r: RecordedResource): string => String(r.inputs.chart).split("/").pop()!;

function release(recorded: readonly RecordedResource[], chart: string): RecordedResource {
  const found = ofType(recorded, "kubernetes:helm.sh/v3:Release").find((r) => chartOf(r) === chart);
  if (!found) throw new Error(`no release of chart ${chart}`);
  return found;
}

describe("Kubernetes layer components (mocked engine)", () => {
  for (const envName of ["dev", "prod", "local"]) {
    for (const layer of Object.keys(NAMESPACES) as KubernetesLayer[]) {
      it(`${layer} in ${envName}: own namespace with quota, one pinned release per enabled component, parented and on the cluster provider`, async () => {
        const { recorded, env, releases, namespace } = await deploy(layer, envName);
        const settings = env.layers[layer];
        expect(namespace).to.equal(NAMESPACES[layer]);
        const [quota] = ofType(recorded, "kubernetes:core/v1:ResourceQuota");
        expect(quota!.inputs.spec.hard).to.deep.equal({ "requests.cpu": settings.quota.cpu, "requests.memory": settings.quota.memory });
        expect(quota!.inputs.metadata.namespace).to.equal(NAMESPACES[layer]);

        const enabled = Object.entries(settings.components).filter(([, c]) => c.enabled);
        const made = ofType(recorded, "kubernetes:helm.sh/v3:Release");
        expect(made.map((r) => [chartOf(r), r.inputs.version])).to.have.deep.members(enabled.map(([, c]) => [c.chart.name, c.chart.version]));
        expect(Object.keys(releases)).to.have.members(enabled.map(([key]) => key));
        for (const r of made) {
          expect(r.inputs.namespace).to.equal(NAMESPACES[layer]);
          expect(r.inputs.skipAwait).to.equal(!env.cluster.awaitWorkloads);
          expect(r.inputs.repositoryOpts?.repo ?? r.inputs.chart).to.match(/^(https|oci):\/\//);
        }
      });
    }
  }

  it("takes replicas and resource requests from the environment, under each chart's own keys", async () => {
    const prod = await deploy("ingress", "prod");
    expect(release(prod.recorded, "emissary-ingress").inputs.values.replicaCount).to.equal(3);
    expect(release(prod.recorded, "cert-manager").inputs.values).to.deep.include({ replicaCount: 2, crds: { enabled: true } });
    const dev = await deploy("ingress", "dev");
    expect(release(dev.recorded, "emissary-ingress").inputs.values.replicaCount).to.equal(1);
    expect(release(dev.recorded, "emissary-ingress").inputs.values.resources).to.deep.equal({ requests: { cpu: "100m", memory: "192Mi" }, limits: { cpu: "200m", memory: "384Mi" } });
    const mesh = await deploy("mesh", "prod");
    expect(release(mesh.recorded, "istiod").inputs.values.replicaCount).to.equal(2);
    const gitops = await deploy("gitops", "prod");
    expect(release(gitops.recorded, "argo-cd").inputs.values.server.replicas).to.equal(2);
  });

  it("ingress: external-dns reads the Cloudflare token from a Kubernetes Secret whose value stays a Pulumi secret", async () => {
    const { recorded } = await deploy("ingress", "dev");
    const [secret] = ofType(recorded, "kubernetes:core/v1:Secret");
    expect(JSON.stringify(secret!.inputs.stringData)).to.contain("cf-token-value");
    expect(JSON.stringify(secret!.inputs.stringData)).to.contain("1b47061264138c4ac30d75fd1eb44270"); // Pulumi's secret signature: still a secret on the wire
    const values = release(recorded, "external-dns").inputs.values;
    expect(JSON.stringify(values)).not.to.contain("cf-token-value");
    expect(values.domainFilters).to.deep.equal(["dev.platform.example.com"]);
  });

  it("ingress refuses external-dns without a Cloudflare token, naming the config command", () => {
    recordResources("ingress-dev");
    const env = loadEnvironment("dev");
    const provider = new k8s.Provider("cluster", { kubeconfig: "x" });
    expect(() => new IngressLayer("ingress", { provider, settings: env.layers.ingress, chartSource: { kind: "repository" }, valuesContext: valuesContextOf(env), awaitWorkloads: true, domain: env.domain })).to.throw(
      /pulumi config set --secret cloudflareApiToken/,
    );
  });

  it("observability: Grafana's admin password lives in a Secret, values only reference it", async () => {
    const { recorded } = await deploy("observability", "dev");
    const grafana = release(recorded, "grafana").inputs.values;
    expect(grafana.admin).to.deep.equal({ existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    expect(JSON.stringify(ofType(recorded, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs))).not.to.contain("grafana-password-value");
  });

  it("mesh: mesh-wide STRICT mTLS once the Istio base CRDs are installed", async () => {
    const { recorded } = await deploy("mesh", "dev");
    const [policy] = ofType(recorded, "kubernetes:security.istio.io/v1:PeerAuthentication");
    expect(policy!.inputs.spec).to.deep.equal({ mtls: { mode: "STRICT" } });
    expect(policy!.inputs.metadata).to.deep.include({ name: "default", namespace: "istio-system" });
  });

  it("disabled components get no release", async () => {
    const { recorded } = await deploy("ingress", "local");
    expect(ofType(recorded, "kubernetes:helm.sh/v3:Release").map(chartOf)).to.have.members(["emissary-crds-chart", "emissary-ingress", "cert-manager"]);
    expect(ofType(recorded, "kubernetes:core/v1:Secret")).to.have.length(0);
  });
});
