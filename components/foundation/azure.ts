import * as containerservice from "@pulumi/azure-native/containerservice";
import * as network from "@pulumi/azure-native/network";
import * as resources from "@pulumi/azure-native/resources";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { layerReleases, releaseStatuses } from "../layer-releases";
import type { CloudFoundationArgs } from "./cloud-args";
import { planSubnets } from "./subnets";

export type AzureFoundationArgs = CloudFoundationArgs;

/**
 * Layer 1 on Azure: resource group, VNet, and AKS with Azure CNI overlay on the Cilium dataplane.
 * A small regular system pool keeps the control add-ons off spot capacity; the worker pool
 * autoscales within the environment's bounds and is spot when the environment says so.
 */
export class AzureFoundation extends pulumi.ComponentResource {
  readonly kubeconfig: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly vnetId: pulumi.Output<string>;
  readonly subnetIds: pulumi.Output<string[]>;
  readonly oidcIssuerUrl: pulumi.Output<string | undefined>;
  readonly releases: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AzureFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:foundation:AzureFoundation", name, {}, opts);
    const own = { parent: this };
    const group = new resources.ResourceGroup(`${name}-rg`, { resourceGroupName: args.clusterName, location: args.region }, own);
    const [nodes] = planSubnets(args.network.cidr, 1);
    const vnet = new network.VirtualNetwork(
      `${name}-vnet`,
      { resourceGroupName: group.name, location: args.region, addressSpace: { addressPrefixes: [args.network.cidr] } },
      own,
    );
    const subnet = new network.Subnet(`${name}-nodes`, { resourceGroupName: group.name, virtualNetworkName: vnet.name, addressPrefix: nodes!.privateCidr }, own);

    const cluster = new containerservice.ManagedCluster(
      `${name}-aks`,
      {
        resourceName: args.clusterName,
        resourceGroupName: group.name,
        location: args.region,
        dnsPrefix: args.clusterName,
        kubernetesVersion: args.cluster.kubernetesVersion,
        identity: { type: "SystemAssigned" },
        enableRBAC: true,
        oidcIssuerProfile: { enabled: true },
        securityProfile: { workloadIdentity: { enabled: true } },
        networkProfile: { networkPlugin: "azure", networkPluginMode: "overlay", networkDataplane: "cilium", networkPolicy: "cilium" },
        agentPoolProfiles: [
          { name: "system", mode: "System", vmSize: args.cluster.instanceType, enableAutoScaling: true, count: 1, minCount: 1, maxCount: 3, vnetSubnetID: subnet.id, osType: "Linux" },
        ],
      },
      own,
    );
    new containerservice.AgentPool(
      `${name}-workers`,
      {
        agentPoolName: "workers",
        resourceName: cluster.name,
        resourceGroupName: group.name,
        mode: "User",
        vmSize: args.cluster.instanceType,
        enableAutoScaling: true,
        count: args.cluster.desiredNodes,
        minCount: args.cluster.minNodes,
        maxCount: args.cluster.maxNodes,
        vnetSubnetID: subnet.id,
        osType: "Linux",
        ...(args.cluster.spot ? { scaleSetPriority: "Spot", scaleSetEvictionPolicy: "Delete", spotMaxPrice: -1 } : { scaleSetPriority: "Regular" }),
      },
      own,
    );

    const credentials = containerservice.listManagedClusterUserCredentialsOutput({ resourceGroupName: group.name, resourceName: cluster.name }, own);
    this.kubeconfig = pulumi.secret(
      credentials.kubeconfigs.apply((configs) => {
        const first = configs[0];
        if (!first) throw new Error(`AKS cluster ${args.clusterName} returned no user kubeconfig`);
        return Buffer.from(first.value, "base64").toString("utf8");
      }),
    );
    const k8sProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, own);
    const releases = layerReleases("foundation", "kube-system", { settings: args.settings, chartSource: args.chartSource, valuesContext: args.valuesContext, provider: k8sProvider, awaitWorkloads: args.cluster.awaitWorkloads }, this);

    this.clusterName = cluster.name;
    this.vnetId = vnet.id;
    this.subnetIds = pulumi.all([subnet.id]);
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((profile) => profile?.issuerURL);
    this.releases = releaseStatuses(releases);
    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      vnetId: this.vnetId,
      subnetIds: this.subnetIds,
      oidcIssuerUrl: this.oidcIssuerUrl,
      releases: this.releases,
    });
  }
}
