import type { ResourceValidationPolicy } from "@pulumi/policy";

// Encryption rules after AwsGuard's catalog (pulumi/pulumi-policy-aws): EKS secrets envelope
// encryption, KMS key rotation, encrypted EBS volumes. Advisory by default; config/<env>.json raises them.

export const eksSecretsEncrypted: ResourceValidationPolicy = {
  name: "eks-secrets-encrypted",
  description: "EKS encrypts Kubernetes Secrets with a KMS key (envelope encryption).",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type === "eks:index:Cluster" && !args.props.encryptionConfigKeyArn) {
      reportViolation("the EKS cluster does not encrypt Secrets with KMS; set encryptionConfigKeyArn to a KMS key (components/foundation/aws.ts)");
    }
    if (args.type === "aws:eks/cluster:Cluster") {
      const configs = (args.props.encryptionConfig as Array<{ resources?: string[]; provider?: { keyArn?: string } }> | { resources?: string[] } | undefined) ?? [];
      const list = Array.isArray(configs) ? configs : [configs];
      if (!list.some((c) => c.resources?.includes("secrets"))) reportViolation("the EKS cluster has no encryptionConfig for secrets; add one with a KMS key");
    }
  },
};

export const kmsKeyRotationEnabled: ResourceValidationPolicy = {
  name: "kms-key-rotation-enabled",
  description: "Customer-managed KMS keys rotate yearly.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "aws:kms/key:Key") return;
    const symmetric = (args.props.customerMasterKeySpec ?? args.props.keySpec ?? "SYMMETRIC_DEFAULT") === "SYMMETRIC_DEFAULT";
    if (symmetric && args.props.enableKeyRotation !== true) reportViolation("the KMS key does not rotate; set enableKeyRotation: true");
  },
};

export const ebsVolumesEncrypted: ResourceValidationPolicy = {
  name: "ebs-volumes-encrypted",
  description: "EBS volumes and launch template block devices are encrypted.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type === "aws:ebs/volume:Volume" && args.props.encrypted !== true) reportViolation("the EBS volume is not encrypted; set encrypted: true");
    if (args.type === "aws:ec2/launchTemplate:LaunchTemplate") {
      const devices = (args.props.blockDeviceMappings as Array<{ deviceName?: string; ebs?: { encrypted?: string | boolean } }> | undefined) ?? [];
      for (const device of devices) {
        if (device.ebs && String(device.ebs.encrypted) !== "true") reportViolation(`block device ${device.deviceName ?? "?"} is not encrypted; set ebs.encrypted: "true"`);
      }
    }
  },
};
