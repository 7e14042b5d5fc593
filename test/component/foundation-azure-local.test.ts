import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AzureFoundation } from "../../components/foundation/azure";
import { cloudFoundationArgs } from "../../components/foundation/cloud-args";
import { LocalFoundation } from "../../components/foundation/local";
import { valuesContextOf } from "../../components/chart-values";
import { loadEnvironment } from "../../environments/load";
import { ofType, recordResources, settled, valueOf } from "../support/pulumi-mocks";

describe("AzureFoundation (mocked Azure)", () => {
  it("creates a VNet and AKS on Cilium with a spot worker pool inside the environment's bounds", async () => {
    const recorded = recordResources("foundation-dev-azure");
    const env = loadEnvironment("dev-azure");
    const foundation = new AzureFoundation("foundation", cloudFoundationArgs(env, env.layers.foundation, { kind: "repository" }));
    await valueOf(foundation.releases);
    await settled(recorded);

    expect(ofType(recorded, "azure-native:network:VirtualNetwork")[0]!.inputs.addressSpace.addressPrefixes).to.deep.equal(["10.0.0.0/16"]);
    expect(ofType(recorded, "azure-native:network:Subnet")[0]!.inputs.addressPrefix).to.equal("10.0.0.0/19");
    const [cluster] = ofType(recorded, "azure-native:containerservice:ManagedCluster");
    expect(cluster!.inputs.networkProfile).to.include({ networkPlugin: "azure", networkDataplane: "cilium" });
    expect(cluster!.inputs.location).to.equal("westeurope");
    const [pool] = ofType(recorded, "azure-native:containerservice:AgentPool");
    expect(pool!.inputs).to.include({ scaleSetPriority: "Spot", minCount: 3, maxCount: 9, vmSize: "Standard_D2s_v5", enableAutoScaling: true });
    expect(ofType(recorded, "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart)).to.deep.equal(["metrics-server"]);

    expect(await pulumi.isSecret(foundation.kubeconfig)).to.equal(true);
    expect(await valueOf(foundation.kubeconfig)).to.contain("kind: Config");
    expect(await valueOf(foundation.clusterName)).to.equal("platform-dev-azure");
  });
});

describe("LocalFoundation (mocked engine, charts from a mirror)", () => {
  it("targets the cluster by kubeconfig and installs add-ons from the mirror into platform-system", async () => {
    const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    // Mocks never open the archive: only its name in the mirror matters here.
    fs.writeFileSync(path.join(mirror, "metrics-server-3.13.1.tgz"), "");
    const recorded = recordResources("foundation-local");
    const env = loadEnvironment("local");
    const kubeconfig = "apiVersion: v1\nkind: Config\n";
    const foundation = new LocalFoundation("foundation", {
      kubeconfig,
      clusterName: "platform-local",
      settings: env.layers.foundation,
      chartSource: { kind: "mirror", dir: mirror },
      valuesContext: valuesContextOf(env),
      awaitWorkloads: env.cluster.awaitWorkloads,
    });
    await valueOf(foundation.releases);
    await settled(recorded);

    const [provider] = ofType(recorded, "pulumi:providers:kubernetes");
    expect(provider!.inputs.kubeconfig).to.deep.include({ value: kubeconfig }); // arrives as a secret envelope
    expect(ofType(recorded, "kubernetes:core/v1:Namespace")[0]!.inputs.metadata.name).to.equal("platform-system");
    const releases = ofType(recorded, "kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => r.inputs.chart)).to.deep.equal([path.join(mirror, "metrics-server-3.13.1.tgz")]);
    expect(releases[0]!.inputs.skipAwait).to.equal(true);
    expect(await pulumi.isSecret(foundation.kubeconfig)).to.equal(true);
  });

  it("fails naming the fill command when a chart is missing from the mirror", () => {
    recordResources("foundation-local");
    const env = loadEnvironment("local");
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    expect(
      () => new LocalFoundation("foundation", { kubeconfig: "x", clusterName: "c", settings: env.layers.foundation, chartSource: { kind: "mirror", dir: empty }, valuesContext: valuesContextOf(env), awaitWorkloads: false }),
    ).to.throw(/metrics-server 3\.13\.1 is not in the chart mirror .*metrics-server-3\.13\.1\.tgz.*npm run charts -- fill --from/);
  });
});
