import { PolicyPack } from "@pulumi/policy";
import { AWS_POLICIES } from "./aws-policies";
import { clusterEndpointNotOpenToWorld, nodeGroupScalingBounds } from "./cloud-policies";
import { helmChartVersionPinned, namespaceHasQuota, noLatestImageTag, workloadResourceRequests } from "./kubernetes-policies";

new PolicyPack("platform-guardrails", {
  policies: [
    helmChartVersionPinned,
    workloadResourceRequests,
    noLatestImageTag,
    namespaceHasQuota,
    nodeGroupScalingBounds,
    clusterEndpointNotOpenToWorld,
    ...AWS_POLICIES,
  ],
});
