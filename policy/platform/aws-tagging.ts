import type { ResourceValidationPolicy } from "@pulumi/policy";

/** AWS resource types this project makes that carry tags (the EKS component's children included). */
const TAGGED_TYPES = new Set([
  "aws:ec2/vpc:Vpc",
  "aws:ec2/subnet:Subnet",
  "aws:ec2/internetGateway:InternetGateway",
  "aws:ec2/natGateway:NatGateway",
  "aws:ec2/eip:Eip",
  "aws:ec2/routeTable:RouteTable",
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/launchTemplate:LaunchTemplate",
  "aws:iam/role:Role",
  "aws:kms/key:Key",
  "aws:eks/cluster:Cluster",
  "aws:eks/nodeGroup:NodeGroup",
]);

export const awsRequiredTags: ResourceValidationPolicy = {
  name: "aws-required-tags",
  description: "AWS resources carry the platform's tags (on the resource or through the provider's defaultTags), for cost and ownership.",
  enforcementLevel: "advisory",
  configSchema: { properties: { requiredTags: { type: "array", items: { type: "string" }, default: ["platform:cluster", "platform:managed-by"] } } },
  validateResource: (args, reportViolation) => {
    if (!TAGGED_TYPES.has(args.type)) return;
    // Provider inputs reach policies as the engine stores them: nested objects may be JSON text.
    const raw = args.provider?.props.defaultTags as string | { tags?: Record<string, string> } | undefined;
    const defaults = (typeof raw === "string" ? (JSON.parse(raw) as { tags?: Record<string, string> }) : raw)?.tags ?? {};
    const tags = { ...defaults, ...((args.props.tagsAll as Record<string, string> | undefined) ?? {}), ...((args.props.tags as Record<string, string> | undefined) ?? {}) };
    const missing = args.getConfig<{ requiredTags: string[] }>().requiredTags.filter((key) => !(key in tags));
    if (missing.length > 0) reportViolation(`missing tags ${missing.join(", ")}; set them in the AWS provider's defaultTags (components/foundation/aws.ts)`);
  },
};
