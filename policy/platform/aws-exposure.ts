import type { ResourceValidationPolicy } from "@pulumi/policy";

// Public exposure and the cluster endpoint, after AwsGuard's catalog. Advisory by default; config/<env>.json raises them.

const WORLD = ["0.0.0.0/0", "::/0"];
const WEB_PORTS = new Set([80, 443]);

export const subnetNoPublicIpOnLaunch: ResourceValidationPolicy = {
  name: "subnet-no-public-ip-on-launch",
  description: "Subnets do not give instances public IP addresses; nodes live in private subnets behind NAT.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type === "aws:ec2/subnet:Subnet" && args.props.mapPublicIpOnLaunch === true) reportViolation("the subnet maps public IPs on launch; set mapPublicIpOnLaunch: false");
    if (args.type === "eks:index:Cluster" && args.props.nodeAssociatePublicIpAddress === true) reportViolation("EKS nodes get public IPs; set nodeAssociatePublicIpAddress: false");
  },
};

interface IngressRule {
  fromPort?: number;
  toPort?: number;
  cidrBlocks?: string[];
  ipv6CidrBlocks?: string[];
}

export const securityGroupNoWorldIngress: ResourceValidationPolicy = {
  name: "security-group-no-world-ingress",
  description: "No security group admits the whole internet except to web ports (80, 443).",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const rules: IngressRule[] = [];
    if (args.type === "aws:ec2/securityGroup:SecurityGroup") rules.push(...((args.props.ingress as IngressRule[] | undefined) ?? []));
    if (args.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && args.props.type === "ingress") rules.push(args.props as IngressRule);
    if (args.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule") {
      rules.push({ fromPort: args.props.fromPort, toPort: args.props.toPort, cidrBlocks: [args.props.cidrIpv4, args.props.cidrIpv6].filter(Boolean) });
    }
    for (const rule of rules) {
      const open = [...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])].some((cidr) => WORLD.includes(cidr));
      const web = rule.fromPort !== undefined && rule.fromPort === rule.toPort && WEB_PORTS.has(rule.fromPort);
      if (open && !web) reportViolation(`ingress ${rule.fromPort ?? "all"}-${rule.toPort ?? "all"} is open to the internet; restrict its CIDRs`);
    }
  },
};

export const eksEndpointPrivateAccess: ResourceValidationPolicy = {
  name: "eks-endpoint-private-access",
  description: "The EKS API is reachable from inside the VPC, so nodes never go through the public endpoint.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    const vpc = args.props.vpcConfig as { endpointPrivateAccess?: boolean } | undefined;
    const privateAccess = args.type === "eks:index:Cluster" ? args.props.endpointPrivateAccess : args.type === "aws:eks/cluster:Cluster" ? vpc?.endpointPrivateAccess : true;
    if (privateAccess !== true) reportViolation("the EKS API has no private endpoint; set endpointPrivateAccess: true");
  },
};

const AUDIT_LOGS = ["api", "audit", "authenticator"];

export const eksControlPlaneLogging: ResourceValidationPolicy = {
  name: "eks-control-plane-logging",
  description: "EKS sends API, audit and authenticator logs to CloudWatch.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "eks:index:Cluster" && args.type !== "aws:eks/cluster:Cluster") return;
    const enabled = (args.props.enabledClusterLogTypes as string[] | undefined) ?? [];
    const missing = AUDIT_LOGS.filter((kind) => !enabled.includes(kind));
    if (missing.length > 0) reportViolation(`control plane logs ${missing.join(", ")} are off; add them to enabledClusterLogTypes`);
  },
};
