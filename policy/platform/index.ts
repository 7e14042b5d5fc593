import { PolicyPack } from "@pulumi/policy";
import { AWS_POLICIES } from "./aws-policies";
import { clusterEndpointNotOpenToWorld, nodeGroupScalingBounds } from "./cloud-policies";
import { chartWorkloadNotes, helmChartVersionPinned, namespaceHasQuota, noLatestImageTag, workloadResourceRequests } from "./kubernetes-policies";

// PolicyPack reads its version from ./package.json of the working directory. The Node.js language
// host the module proxy serves (3.184, see tools/engine/language-nodejs) starts packs in the
// program's directory; hosts from 3.221 on start them in the pack's own.
process.chdir(__dirname);

new PolicyPack("platform-guardrails", {
  policies: [
    helmChartVersionPinned,
    workloadResourceRequests,
    noLatestImageTag,
    chartWorkloadNotes,
    namespaceHasQuota,
    nodeGroupScalingBounds,
    clusterEndpointNotOpenToWorld,
    ...AWS_POLICIES,
  ],
});
