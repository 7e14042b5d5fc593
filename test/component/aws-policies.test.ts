import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { AwsFoundation } from "../../components/foundation/aws";
import { cloudFoundationArgs } from "../../components/foundation/cloud-args";
import { loadEnvironment } from "../../environments/load";
import { policyPackConfigs } from "../../orchestrator/automation/policy-config";
import { AWS_POLICIES } from "../../policy/platform/aws-policies";
import { recordResources, settled, valueOf, type RecordedResource } from "../support/pulumi-mocks";

const PACK = path.resolve(__dirname, "../../policy/platform");

/** Every AWS rule over every resource, as the analyzer would call them; returns "<rule>: <message>" per violation. */
function violations(resources: readonly RecordedResource[]): string[] {
  const provider = resources.find((r) => r.type === "pulumi:providers:aws");
  const found: string[] = [];
  for (const resource of resources) {
    if (resource.type.startsWith("pulumi:providers:")) continue;
    for (const policy of AWS_POLICIES) {
      const defaults = Object.fromEntries(Object.entries((policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>).map(([key, schema]) => [key, schema.default]));
      const args = {
        type: resource.type,
        props: resource.inputs,
        urn: `urn:pulumi:prod::platform::${resource.type}::${resource.name}`,
        name: resource.name,
        opts: {},
        getConfig: () => defaults,
        ...(provider && resource.type.startsWith("aws:") ? { provider: { type: provider.type, name: provider.name, urn: "urn:provider", props: provider.inputs } as unknown as PolicyResource } : {}),
      } as unknown as ResourceValidationArgs;
      (policy.validateResource as (a: ResourceValidationArgs, report: (m: string) => void) => void)(args, (message) => found.push(`${policy.name}: ${message}`));
    }
  }
  return found;
}

async function mockedFoundation(): Promise<RecordedResource[]> {
  const recorded = recordResources("foundation-prod");
  const env = loadEnvironment("prod");
  const foundation = new AwsFoundation("foundation", cloudFoundationArgs(env, env.layers.foundation, { kind: "repository" }));
  await valueOf(foundation.releases);
  await settled(recorded);
  return recorded;
}

/** The foundation with one resource changed (or one added), everything else as the program makes it. */
function variant(resources: readonly RecordedResource[], type: string, change: (inputs: Record<string, any>) => Record<string, any>): RecordedResource[] {
  let done = false;
  const changed = resources.map((r) => {
    if (done || r.type !== type) return r;
    done = true;
    return { ...r, inputs: change({ ...r.inputs }) };
  });
  return done ? changed : [...resources, { type, name: "added", inputs: change({}) }];
}

describe("AWS policy rules against the mocked AWS foundation", () => {
  let foundation: RecordedResource[];
  before(async () => {
    foundation = await mockedFoundation();
  });

  it("the foundation as the program makes it passes every AWS rule", () => {
    expect(violations(foundation)).to.deep.equal([]);
  });

  const cases: Array<[string, string, (inputs: Record<string, any>) => Record<string, any>]> = [
    ["eks-secrets-encrypted", "eks:index:Cluster", ({ encryptionConfigKeyArn: _key, ...rest }) => rest],
    ["kms-key-rotation-enabled", "aws:kms/key:Key", (inputs) => ({ ...inputs, enableKeyRotation: false })],
    ["ebs-volumes-encrypted", "aws:ec2/launchTemplate:LaunchTemplate", () => ({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] })],
    ["subnet-no-public-ip-on-launch", "aws:ec2/subnet:Subnet", (inputs) => ({ ...inputs, mapPublicIpOnLaunch: true })],
    ["security-group-no-world-ingress", "aws:ec2/securityGroup:SecurityGroup", () => ({ ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }] })],
    ["eks-endpoint-private-access", "eks:index:Cluster", (inputs) => ({ ...inputs, endpointPrivateAccess: false })],
    ["eks-control-plane-logging", "eks:index:Cluster", (inputs) => ({ ...inputs, enabledClusterLogTypes: ["api"] })],
    ["iam-no-admin-policy", "aws:iam/rolePolicy:RolePolicy", (inputs) => ({ ...inputs, policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) })],
    ["iam-trust-not-public", "aws:iam/role:Role", (inputs) => ({ ...inputs, assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) })],
    ["aws-required-tags", "pulumi:providers:aws", ({ defaultTags: _tags, ...rest }) => rest],
  ];
  for (const [rule, type, change] of cases) {
    it(`${rule}: a foundation whose ${type} violates it fails, naming the rule`, () => {
      const found = violations(variant(foundation, type, change));
      expect(found).to.not.deep.equal([]);
      expect(found.every((line) => line.startsWith(`${rule}: `)), found.join("\n")).to.equal(true);
    });
  }

  it("covers every AWS rule with a violating variant", () => {
    expect(cases.map(([rule]) => rule).sort()).to.deep.equal(AWS_POLICIES.map((p) => p.name).sort());
  });
});

describe("AWS rule enforcement per environment", () => {
  const levels = (env: string) => JSON.parse(fs.readFileSync(path.join(PACK, "config", `${env}.json`), "utf8")) as Record<string, string>;
  const names = AWS_POLICIES.map((p) => p.name).sort();

  it("is advisory in dev and mandatory in staging and prod, for every AWS rule", () => {
    expect(AWS_POLICIES.every((p) => p.enforcementLevel === "advisory")).to.equal(true);
    expect(Object.keys(levels("dev")).sort()).to.deep.equal(names);
    expect(Object.values(levels("dev")).every((level) => level === "advisory")).to.equal(true);
    for (const env of ["staging", "prod"]) {
      expect(Object.keys(levels(env)).sort()).to.deep.equal(names);
      expect(Object.values(levels(env)).every((level) => level === "mandatory")).to.equal(true);
    }
  });

  it("passes the environment's config for the platform pack and an empty one for packs without", () => {
    expect(policyPackConfigs([PACK, "/elsewhere/pack"], "prod")).to.deep.equal([path.join(PACK, "config", "prod.json"), path.join(PACK, "config", "none.json")]);
    expect(policyPackConfigs([PACK], "local")).to.equal(undefined);
  });
});
