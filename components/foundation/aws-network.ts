import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { planSubnets } from "./subnets";

export interface AwsNetworkArgs {
  readonly clusterName: string;
  readonly cidr: string;
  readonly availabilityZones: number;
}

export interface AwsNetwork {
  readonly vpc: aws.ec2.Vpc;
  readonly publicSubnets: aws.ec2.Subnet[];
  readonly privateSubnets: aws.ec2.Subnet[];
}

/**
 * VPC with one public and one private subnet per AZ and a NAT gateway per AZ, so losing a zone
 * never cuts the others' egress. Subnets carry the tags the AWS load balancer integration looks for.
 */
export function awsNetwork(name: string, args: AwsNetworkArgs, opts: pulumi.CustomResourceOptions): AwsNetwork {
  const clusterTag = { [`kubernetes.io/cluster/${args.clusterName}`]: "shared" };
  const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { provider: opts.provider, parent: opts.parent });
  const vpc = new aws.ec2.Vpc(name, { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: args.clusterName } }, opts);
  const gateway = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: args.clusterName } }, opts);
  const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }] }, opts);

  const publicSubnets: aws.ec2.Subnet[] = [];
  const privateSubnets: aws.ec2.Subnet[] = [];
  for (const plan of planSubnets(args.cidr, args.availabilityZones)) {
    const zone = zones.names.apply((names) => names[plan.zoneIndex]);
    const publicSubnet = new aws.ec2.Subnet(
      `${name}-public-${plan.zoneIndex}`,
      { vpcId: vpc.id, cidrBlock: plan.publicCidr, availabilityZone: zone, mapPublicIpOnLaunch: false, tags: { ...clusterTag, "kubernetes.io/role/elb": "1" } },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-public-${plan.zoneIndex}`, { subnetId: publicSubnet.id, routeTableId: publicRoutes.id }, opts);
    const natIp = new aws.ec2.Eip(`${name}-nat-${plan.zoneIndex}`, { domain: "vpc" }, opts);
    const nat = new aws.ec2.NatGateway(`${name}-nat-${plan.zoneIndex}`, { subnetId: publicSubnet.id, allocationId: natIp.id }, { ...opts, dependsOn: [gateway] });
    const privateRoutes = new aws.ec2.RouteTable(`${name}-private-${plan.zoneIndex}`, { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }] }, opts);
    const privateSubnet = new aws.ec2.Subnet(
      `${name}-private-${plan.zoneIndex}`,
      { vpcId: vpc.id, cidrBlock: plan.privateCidr, availabilityZone: zone, tags: { ...clusterTag, "kubernetes.io/role/internal-elb": "1" } },
      opts,
    );
    new aws.ec2.RouteTableAssociation(`${name}-private-${plan.zoneIndex}`, { subnetId: privateSubnet.id, routeTableId: privateRoutes.id }, opts);
    publicSubnets.push(publicSubnet);
    privateSubnets.push(privateSubnet);
  }
  return { vpc, publicSubnets, privateSubnets };
}
