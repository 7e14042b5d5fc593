import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { layerReleases, releaseStatuses } from "../layer-releases";
import { CLUSTER_AUTOSCALER_POLICY, nodeRole, serviceAccountRole } from "./aws-iam";
import { awsNetwork } from "./aws-network";
import type { CloudFoundationArgs } from "./cloud-args";

export type AwsFoundationArgs = CloudFoundationArgs;

/** Layer 1 on AWS: VPC, EKS with a managed (spot-capable) node group, IRSA roles, Cilium and the essential add-ons. */
export class AwsFoundation extends pulumi.ComponentResource {
  readonly kubeconfig: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly oidcProviderArn: pulumi.Output<string>;
  readonly releases: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: AwsFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:foundation:AwsFoundation", name, {}, opts);
    // Every AWS resource, the EKS component's children included, gets the platform's tags from here (policy aws-required-tags).
    const tags = { "platform:cluster": args.clusterName, "platform:managed-by": "pulumi" };
    const awsProvider = new aws.Provider(`${name}-aws`, { region: args.region as aws.Region, defaultTags: { tags } }, { parent: this });
    const awsOpts = { parent: this, provider: awsProvider };

    const network = awsNetwork(`${name}-vpc`, { clusterName: args.clusterName, cidr: args.network.cidr, availabilityZones: args.network.availabilityZones }, awsOpts);
    const publicSubnetIds = network.publicSubnets.map((subnet) => subnet.id);
    const privateSubnetIds = network.privateSubnets.map((subnet) => subnet.id);
    const workers = nodeRole(`${name}-nodes`, awsOpts);
    const secretsKey = new aws.kms.Key(`${name}-secrets`, { description: `Kubernetes Secrets of ${args.clusterName}`, enableKeyRotation: true, deletionWindowInDays: 30 }, awsOpts);

    const cluster = new eks.Cluster(
      `${name}-eks`,
      {
        name: args.clusterName,
        version: args.cluster.kubernetesVersion,
        vpcId: network.vpc.id,
        publicSubnetIds,
        privateSubnetIds,
        nodeAssociatePublicIpAddress: false,
        endpointPrivateAccess: true,
        encryptionConfigKeyArn: secretsKey.arn,
        enabledClusterLogTypes: ["api", "audit", "authenticator"],
        skipDefaultNodeGroup: true,
        createOidcProvider: true,
        instanceRoles: [workers],
      },
      { parent: this, providers: { aws: awsProvider } },
    );
    new eks.ManagedNodeGroup(
      `${name}-workers`,
      {
        cluster,
        nodeRole: workers,
        subnetIds: privateSubnetIds,
        instanceTypes: [args.cluster.instanceType],
        capacityType: args.cluster.spot ? "SPOT" : "ON_DEMAND",
        scalingConfig: { minSize: args.cluster.minNodes, maxSize: args.cluster.maxNodes, desiredSize: args.cluster.desiredNodes },
        // The cluster autoscaler owns the desired size once the group exists.
        ignoreScalingChanges: true,
        labels: { "platform.io/capacity": args.cluster.spot ? "spot" : "on-demand" },
      },
      { parent: this, providers: { aws: awsProvider } },
    );

    const irsa = { oidcProviderArn: cluster.oidcProviderArn, oidcProviderUrl: cluster.oidcProviderUrl };
    const autoscalerRole = serviceAccountRole(
      `${name}-autoscaler`,
      { ...irsa, namespace: "kube-system", serviceAccount: "cluster-autoscaler", inlinePolicy: CLUSTER_AUTOSCALER_POLICY },
      awsOpts,
    );
    const ebsRole = serviceAccountRole(
      `${name}-ebs-csi`,
      { ...irsa, namespace: "kube-system", serviceAccount: "ebs-csi-controller-sa", managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"] },
      awsOpts,
    );

    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    const k8sProvider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig }, { parent: this });
    const releases = layerReleases("foundation", "kube-system", { settings: args.settings, chartSource: args.chartSource, valuesContext: args.valuesContext, provider: k8sProvider, awaitWorkloads: args.cluster.awaitWorkloads }, this, {
      extraValues: {
        clusterAutoscaler: { rbac: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": autoscalerRole.arn } } } },
        ebsCsiDriver: { controller: { serviceAccount: { annotations: { "eks.amazonaws.com/role-arn": ebsRole.arn } } } },
      },
    });

    this.clusterName = pulumi.output(args.clusterName);
    this.vpcId = network.vpc.id;
    this.publicSubnetIds = pulumi.all(publicSubnetIds);
    this.privateSubnetIds = pulumi.all(privateSubnetIds);
    this.oidcProviderArn = cluster.oidcProviderArn;
    this.releases = releaseStatuses(releases);
    this.registerOutputs({
      kubeconfig: this.kubeconfig,
      clusterName: this.clusterName,
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      oidcProviderArn: this.oidcProviderArn,
      releases: this.releases,
    });
  }
}
