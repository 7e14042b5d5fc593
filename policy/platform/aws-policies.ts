import { ebsVolumesEncrypted, eksSecretsEncrypted, kmsKeyRotationEnabled } from "./aws-encryption";
import { eksControlPlaneLogging, eksEndpointPrivateAccess, securityGroupNoWorldIngress, subnetNoPublicIpOnLaunch } from "./aws-exposure";
import { iamNoAdminPolicy, iamTrustNotPublic } from "./aws-iam";
import { awsRequiredTags } from "./aws-tagging";

/**
 * The AWS rules, written after AwsGuard's catalog for the resources this project makes: the
 * `@pulumi/awsguard` package (0.3.1) is built on `@pulumi/aws` 4 and `aws-sdk` v2 and cannot sit
 * beside `@pulumi/aws` 7. Advisory here; `config/<env>.json` makes them mandatory where it says so.
 */
export const AWS_POLICIES = [
  eksSecretsEncrypted,
  kmsKeyRotationEnabled,
  ebsVolumesEncrypted,
  subnetNoPublicIpOnLaunch,
  securityGroupNoWorldIngress,
  eksEndpointPrivateAccess,
  eksControlPlaneLogging,
  iamNoAdminPolicy,
  iamTrustNotPublic,
  awsRequiredTags,
];
