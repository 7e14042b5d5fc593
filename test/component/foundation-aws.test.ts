import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { AwsFoundation } from "../../components/foundation/aws";
import { cloudFoundationArgs } from "../../components/foundation/cloud-args";
import { loadEnvironment } from "../../environments/load";
import { ofType, recordResources, settled, valueOf, type RecordedResource } from "../support/pulumi-mocks";

async function deploy(envName: string): Promise<{ recorded: RecordedResource[]; foundation: AwsFoundation }> {
  const recorded = recordResources(`foundation-${envName}`);
  const env = loadEnvironment(envName);
  const foundation = new AwsFoundation("foundation", cloudFoundationArgs(env, env.layers.foundation, { kind: "repository" }));
  await valueOf(foundation.releases);
  await settled(recorded);
  return { recorded, foundation };
}

describe("AwsFoundation (mocked AWS)", () => {
  it("builds a VPC with a public and a private subnet and a NAT gateway per AZ", async () => {
    const { recorded } = await deploy("prod");
    expect(ofType(recorded, "aws:ec2/vpc:Vpc")[0]!.inputs.cidrBlock).to.equal("10.2.0.0/16");
    const subnets = ofType(recorded, "aws:ec2/subnet:Subnet");
    const privateCidrs = subnets.filter((s) => s.name.includes("private")).map((s) => s.inputs.cidrBlock);
    const publicCidrs = subnets.filter((s) => s.name.includes("public")).map((s) => s.inputs.cidrBlock);
    expect(privateCidrs).to.deep.equal(["10.2.0.0/19", "10.2.32.0/19", "10.2.64.0/19"]);
    expect(publicCidrs).to.deep.equal(["10.2.128.0/22", "10.2.132.0/22", "10.2.136.0/22"]);
    expect(subnets.map((s) => s.inputs.availabilityZone)).to.include.members(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(subnets.filter((s) => s.name.includes("private")).every((s) => s.inputs.tags["kubernetes.io/role/internal-elb"] === "1")).to.equal(true);
    expect(ofType(recorded, "aws:ec2/natGateway:NatGateway")).to.have.length(3);
  });

  it("creates EKS without a default node group, with OIDC, nodes only in private subnets", async () => {
    const { recorded } = await deploy("dev");
    const [cluster] = ofType(recorded, "eks:index:Cluster");
    expect(cluster!.inputs.skipDefaultNodeGroup).to.equal(true);
    expect(cluster!.inputs.createOidcProvider).to.equal(true);
    expect(cluster!.inputs.nodeAssociatePublicIpAddress).to.equal(false);
    expect(cluster!.inputs.privateSubnetIds).to.have.length(3);
    const [group] = ofType(recorded, "eks:index:ManagedNodeGroup");
    expect(group!.inputs.subnetIds).to.deep.equal(cluster!.inputs.privateSubnetIds);
  });

  for (const [envName, capacityType, bounds] of [
    ["dev", "SPOT", { minSize: 3, maxSize: 9, desiredSize: 3 }],
    ["prod", "ON_DEMAND", { minSize: 4, maxSize: 12, desiredSize: 5 }],
  ] as const) {
    it(`sizes the managed node group from ${envName}.yaml (${capacityType}, ${bounds.minSize}-${bounds.maxSize})`, async () => {
      const { recorded } = await deploy(envName);
      const [group] = ofType(recorded, "eks:index:ManagedNodeGroup");
      expect(group!.inputs.capacityType).to.equal(capacityType);
      expect(group!.inputs.scalingConfig).to.deep.equal(bounds);
    });
  }

  it("gives the autoscaler and the EBS CSI driver IRSA roles bound to their service accounts", async () => {
    const { recorded } = await deploy("dev");
    const roles = ofType(recorded, "aws:iam/role:Role");
    const autoscaler = JSON.parse(roles.find((r) => r.name === "foundation-autoscaler")!.inputs.assumeRolePolicy);
    const condition = autoscaler.Statement[0].Condition.StringEquals;
    expect(condition["oidc.eks.us-east-1.amazonaws.com/id/foundation-eks:sub"]).to.equal("system:serviceaccount:kube-system:cluster-autoscaler");
    expect(autoscaler.Statement[0].Principal.Federated).to.match(/oidc-provider/);
    const ebsAttachments = ofType(recorded, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("foundation-ebs-csi"));
    expect(ebsAttachments.map((a) => a.inputs.policyArn)).to.deep.equal(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
  });

  it("installs Cilium and the essential add-ons in kube-system with pinned charts", async () => {
    const { recorded } = await deploy("dev");
    const releases = ofType(recorded, "kubernetes:helm.sh/v3:Release");
    expect(releases.map((r) => [r.inputs.chart, r.inputs.version, r.inputs.namespace])).to.have.deep.members([
      ["cilium", "1.20.0", "kube-system"],
      ["metrics-server", "3.13.1", "kube-system"],
      ["cluster-autoscaler", "9.59.0", "kube-system"],
      ["aws-ebs-csi-driver", "2.64.0", "kube-system"],
    ]);
    const autoscaler = releases.find((r) => r.inputs.chart === "cluster-autoscaler")!;
    expect(autoscaler.inputs.values.autoDiscovery.clusterName).to.equal("platform-dev");
    expect(autoscaler.inputs.values.rbac.serviceAccount.annotations["eks.amazonaws.com/role-arn"]).to.equal("arn:aws:iam::123456789012:role/foundation-autoscaler");
  });

  it("exports the kubeconfig as a secret and the network ids and OIDC provider", async () => {
    const { foundation } = await deploy("dev");
    expect(await pulumi.isSecret(foundation.kubeconfig)).to.equal(true);
    expect(JSON.parse(await valueOf(foundation.kubeconfig)).kind).to.equal("Config");
    expect(await valueOf(foundation.vpcId)).to.equal("foundation-vpc-id");
    expect(await valueOf(foundation.privateSubnetIds)).to.have.length(3);
    expect(await valueOf(foundation.oidcProviderArn)).to.match(/^arn:aws:iam::\d+:oidc-provider\//);
  });
});
