import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

const NODE_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
];

/** The role EC2 worker nodes assume, with the managed policies EKS requires of them. */
export function nodeRole(name: string, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const role = new aws.iam.Role(
    name,
    { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }) },
    opts,
  );
  NODE_POLICIES.forEach((policyArn, index) => new aws.iam.RolePolicyAttachment(`${name}-${index}`, { role: role.name, policyArn }, opts));
  return role;
}

export interface ServiceAccountRoleArgs {
  readonly oidcProviderArn: pulumi.Input<string>;
  readonly oidcProviderUrl: pulumi.Input<string>;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly managedPolicyArns?: string[];
  readonly inlinePolicy?: Record<string, unknown>;
}

/** The trust policy that lets exactly one Kubernetes service account assume a role (IRSA). Pure. */
export function serviceAccountTrustPolicy(oidcProviderArn: string, oidcProviderUrl: string, namespace: string, serviceAccount: string): string {
  const issuer = oidcProviderUrl.replace(/^https:\/\//, "");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } },
      },
    ],
  });
}

/** An IAM role for a service account (IRSA). */
export function serviceAccountRole(name: string, args: ServiceAccountRoleArgs, opts: pulumi.CustomResourceOptions): aws.iam.Role {
  const assumeRolePolicy = pulumi
    .all([args.oidcProviderArn, args.oidcProviderUrl])
    .apply(([arn, url]) => serviceAccountTrustPolicy(arn, url, args.namespace, args.serviceAccount));
  const role = new aws.iam.Role(name, { assumeRolePolicy }, opts);
  (args.managedPolicyArns ?? []).forEach((policyArn, index) => new aws.iam.RolePolicyAttachment(`${name}-${index}`, { role: role.name, policyArn }, opts));
  if (args.inlinePolicy) new aws.iam.RolePolicy(`${name}-inline`, { role: role.name, policy: JSON.stringify(args.inlinePolicy) }, opts);
  return role;
}

export const CLUSTER_AUTOSCALER_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "autoscaling:SetDesiredCapacity",
        "autoscaling:TerminateInstanceInAutoScalingGroup",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
        "eks:DescribeNodegroup",
      ],
      Resource: "*",
    },
  ],
};
