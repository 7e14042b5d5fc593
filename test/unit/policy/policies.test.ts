import { expect } from "chai";
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs } from "@pulumi/policy";
import { nodeGroupScalingBounds } from "../../../policy/platform/cloud-policies";
import {
  helmChartVersionPinned,
  namespaceHasQuota,
  noLatestImageTag,
  workloadResourceRequests,
} from "../../../policy/platform/kubernetes-policies";

function violations(policy: ResourceValidationPolicy, type: string, props: Record<string, unknown>, config: object = {}): string[] {
  const found: string[] = [];
  const args = { type, props, urn: "urn:test", name: "subject", opts: {}, getConfig: () => config } as unknown as ResourceValidationArgs;
  const validate = policy.validateResource as (a: ResourceValidationArgs, report: (message: string) => void) => void;
  validate(args, (message) => found.push(message));
  return found;
}

const passingDeployment = () => ({
  spec: {
    template: {
      spec: {
        containers: [{ name: "app", image: "registry.local/app:1.2.3", resources: { requests: { cpu: "100m", memory: "64Mi" } } }],
      },
    },
  },
});

describe("platform policy pack", () => {
  describe("helm-chart-version-pinned", () => {
    const release = (version?: string) => ({ chart: "cert-manager", version });
    it("passes an exact chart version", () => {
      expect(violations(helmChartVersionPinned, "kubernetes:helm.sh/v3:Release", release("v1.16.2"))).to.deep.equal([]);
    });
    for (const version of [undefined, "", "^1.16.0", "1.x", "latest"]) {
      it(`rejects chart version ${JSON.stringify(version)}`, () => {
        const found = violations(helmChartVersionPinned, "kubernetes:helm.sh/v3:Release", release(version));
        expect(found).to.have.length(1);
        expect(found[0]).to.include("pin an exact version");
      });
    }
    it("ignores other resource types", () => {
      expect(violations(helmChartVersionPinned, "kubernetes:core/v1:ConfigMap", {})).to.deep.equal([]);
    });
  });

  describe("workload-resource-requests", () => {
    it("passes a container with cpu and memory requests", () => {
      expect(violations(workloadResourceRequests, "kubernetes:apps/v1:Deployment", passingDeployment())).to.deep.equal([]);
    });
    it("names the container that has no memory request", () => {
      const deployment = passingDeployment();
      deployment.spec.template.spec.containers[0].resources = { requests: { cpu: "100m" } } as never;
      expect(violations(workloadResourceRequests, "kubernetes:apps/v1:StatefulSet", deployment)).to.deep.equal([
        "container 'app' has no cpu and memory requests; set resources.requests",
      ]);
    });
  });

  describe("no-latest-image-tag", () => {
    for (const image of ["nginx", "nginx:latest", "registry.local:5000/team/app"]) {
      it(`rejects ${image}`, () => {
        const deployment = passingDeployment();
        deployment.spec.template.spec.containers[0].image = image;
        expect(violations(noLatestImageTag, "kubernetes:apps/v1:Deployment", deployment)).to.have.length(1);
      });
    }
    it("accepts a digest and a version tag behind a registry port", () => {
      for (const image of ["nginx@sha256:abc", "registry.local:5000/team/app:2.0.1"]) {
        const deployment = passingDeployment();
        deployment.spec.template.spec.containers[0].image = image;
        expect(violations(noLatestImageTag, "kubernetes:apps/v1:Deployment", deployment)).to.deep.equal([]);
      }
    });
  });

  describe("node-group-scaling-bounds", () => {
    const group = (minSize: number, desiredSize: number, maxSize: number) => ({ scalingConfig: { minSize, desiredSize, maxSize } });
    it("passes min <= desired <= max under the ceiling", () => {
      expect(violations(nodeGroupScalingBounds, "aws:eks/nodeGroup:NodeGroup", group(2, 3, 6), { maxNodes: 50 })).to.deep.equal([]);
    });
    it("rejects min above max and a max over the ceiling", () => {
      const found = violations(nodeGroupScalingBounds, "aws:eks/nodeGroup:NodeGroup", group(8, 8, 60), { maxNodes: 50 });
      expect(found.join("\n")).to.include("exceeds the ceiling of 50");
      expect(violations(nodeGroupScalingBounds, "aws:eks/nodeGroup:NodeGroup", group(5, 5, 3), { maxNodes: 50 })[0]).to.include("minSize 5 is above maxSize 3");
    });
  });

  describe("namespace-has-quota", () => {
    const resource = (type: string, metadata: object) => ({ type, props: { metadata } });
    const check = (resources: object[]) => {
      const found: string[] = [];
      const validate = namespaceHasQuota.validateStack as (a: StackValidationArgs, report: (m: string) => void) => void;
      validate({ resources, getConfig: () => ({}) } as unknown as StackValidationArgs, (message) => found.push(message));
      return found;
    };
    it("passes when each namespace has a quota", () => {
      expect(check([resource("kubernetes:core/v1:Namespace", { name: "ingress" }), resource("kubernetes:core/v1:ResourceQuota", { namespace: "ingress" })])).to.deep.equal([]);
    });
    it("names the namespace without a quota", () => {
      expect(check([resource("kubernetes:core/v1:Namespace", { name: "data" })])).to.deep.equal([
        "namespace 'data' has no ResourceQuota; add one (components/namespace.ts)",
      ]);
    });
  });
});
