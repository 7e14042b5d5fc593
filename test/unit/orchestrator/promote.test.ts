import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadEnvironment } from "../../../environments/load";
import { applyRelease, diffRelease, parseRelease, promotedRelease, releaseOf } from "../../../environments/release";
import { writeCheckpoint } from "../../../orchestrator/promote/checkpoint";
import { renderChangelog } from "../../../orchestrator/promote/changelog";
import { approvalGate, firstFailed, sourceGates } from "../../../orchestrator/promote/gates";
import { changedStacks, planPromotion } from "../../../orchestrator/promote/plan";
import { deploymentProblem, outputProblems } from "../../../orchestrator/promote/verify";

describe("promotion: config split and diff", () => {
  const staging = loadEnvironment("staging");
  const prod = loadEnvironment("prod");

  it("carries chart versions and values, never sizing: prod keeps its replicas and resources", () => {
    const bumped = { components: { ...releaseOf(staging.layers.ingress).components, emissary: { chartVersion: "8.10.0", values: { adminService: { create: false } } } } };
    const after = promotedRelease(bumped, releaseOf(prod.layers.ingress));
    const settings = applyRelease(prod.layers.ingress, after);
    expect(settings.components.emissary!.chart.version).to.equal("8.10.0");
    expect(settings.components.emissary!.values).to.deep.equal({ adminService: { create: false } });
    expect(settings.components.emissary!.replicas).to.equal(3);
    expect(settings.components.emissary!.resources).to.deep.equal(prod.layers.ingress.components.emissary!.resources);
  });

  it("diffs releases field by field", () => {
    const before = { components: { a: { chartVersion: "1", values: {} }, b: { chartVersion: "2", values: { x: 1 } } } };
    const after = { components: { a: { chartVersion: "1.1", values: {} }, b: { chartVersion: "2", values: { x: 2 } } } };
    expect(diffRelease(before, after)).to.deep.equal([
      { component: "a", field: "chartVersion", from: "1", to: "1.1" },
      { component: "b", field: "values", from: { x: 1 }, to: { x: 2 } },
    ]);
    expect(diffRelease(before, before)).to.deep.equal([]);
  });

  it("only promotes components the target enables, and only layers both enable", () => {
    const local = loadEnvironment("local");
    const dev = loadEnvironment("dev");
    const plan = planPromotion(dev, local, () => undefined);
    const ingress = plan.find((p) => p.layer === "ingress")!;
    expect(Object.keys(ingress.after.components)).to.have.members(["emissaryCrds", "emissary", "certManager"]);
    // Local's own values (what kwok nodes cannot answer) are all that differs from dev.
    expect(changedStacks(plan).flatMap((p) => p.changes.map((c) => c.field))).to.satisfy((fields: string[]) => fields.every((f) => f === "values"));
    const current = (env: { name: string }, layer: string) =>
      env.name === "dev" && layer === "ingress" ? { components: { certManager: { chartVersion: "v1.17.0", values: {} } } } : undefined;
    const changed = changedStacks(planPromotion(dev, local, current as never));
    const versions = changed.map((p) => [p.target, p.changes.filter((c) => c.field === "chartVersion")]).filter(([, c]) => c.length > 0);
    expect(versions).to.deep.equal([["ingress-local", [{ component: "certManager", field: "chartVersion", from: "v1.21.1", to: "v1.17.0" }]]]);
  });

  it("rejects a malformed release config, naming the stack, field and command", () => {
    expect(() => parseRelease({ components: { a: { chartVersion: 3, values: {} } } }, "ingress-prod")).to.throw(
      /stack config platform:release of ingress-prod: components\.a\.chartVersion: .*pulumi config set release/,
    );
  });
});

describe("promotion: gates", () => {
  it("source gates: deployed, successful, drift-free, each with a reason", () => {
    const gates = sourceGates("staging", [{ stack: "ingress-staging", deployed: true, lastStatus: "up succeeded" }, { stack: "data-staging", deployed: false, lastStatus: "up failed" }], {
      verdict: "drift",
      findings: ["ingress-staging: update kubernetes:apps/v1:Deployment ingress/cert-manager spec.replicas: 1 -> 0"],
      errors: [],
    });
    expect(gates.map((g) => [g.gate, g.passed])).to.deep.equal([
      ["source-deployed", false],
      ["source-successful", false],
      ["source-drift-free", false],
    ]);
    expect(gates[0]!.reason).to.contain("not deployed in staging: data-staging");
    expect(gates[2]!.reason).to.contain("ingress-staging: update kubernetes:apps/v1:Deployment ingress/cert-manager spec.replicas: 1 -> 0").and.contain("npm run drift -- --env staging --remediate up");
    expect(firstFailed(gates)!.gate).to.equal("source-deployed");
    expect(sourceGates("dev", [{ stack: "a", deployed: true, lastStatus: "up unchanged" }], { verdict: "clean", findings: [], errors: [] }).every((g) => g.passed)).to.equal(true);
  });

  it("approval: not required passes; required needs an explicit yes and an identity", () => {
    expect(approvalGate("dev", { required: false, approved: false }).passed).to.equal(true);
    expect(approvalGate("prod", { required: true, approved: false }).reason).to.contain("--approve --approver");
    expect(approvalGate("prod", { required: true, approved: true }).passed).to.equal(false);
    expect(approvalGate("prod", { required: true, approved: true, approver: "alice" })).to.deep.equal({ gate: "approval", passed: true, reason: "approved by alice" });
  });
});

describe("promotion: verification and change log", () => {
  it("judges Deployments and outputs", () => {
    expect(deploymentProblem({ metadata: { name: "a" }, spec: { replicas: 2 }, status: { availableReplicas: 2 } })).to.equal(undefined);
    expect(deploymentProblem({ metadata: { name: "a" }, spec: { replicas: 2 }, status: { availableReplicas: 1 } })).to.equal("a has 1/2 available");
    expect(deploymentProblem({ metadata: { name: "a" }, spec: { replicas: 0 } })).to.equal("a is scaled to 0");
    expect(outputProblems({})).to.deep.equal(["the stack has no outputs"]);
    expect(outputProblems({ releases: { value: { emissary: "deployed", certManager: "failed" }, secret: false } })).to.deep.equal(["release certManager is failed"]);
  });

  it("writes gates, config changes, resource changes, approver and rollback into the change log", () => {
    const markdown = renderChangelog({
      id: "p1",
      source: "staging",
      target: "prod",
      startedAt: "2026-11-23T00:00:00Z",
      result: "rolled-back",
      approver: "alice",
      checkpoint: "/data/promotions/p1",
      gates: [{ gate: "approval", passed: true, reason: "approved by alice" }],
      stacks: [
        {
          layer: "ingress",
          source: "ingress-staging",
          target: "ingress-prod",
          before: { components: {} },
          after: { components: {} },
          changes: [{ component: "emissary", field: "chartVersion", from: "8.9.1", to: "8.10.0" }],
        },
      ],
      preview: { "ingress-prod": [{ urn: "u", type: "kubernetes:helm.sh/v3:Release", name: "ingress-emissary", op: "update", properties: [{ path: "version", kind: "update" }] }] },
      applied: { "ingress-prod": { update: 1 } },
      rollback: { stacks: ["ingress-prod"], succeeded: true, reason: "verification failed; previous release re-applied" },
    });
    expect(markdown).to.contain("| approval | pass | approved by alice |");
    expect(markdown).to.contain("| emissary | chartVersion | `8.9.1` | `8.10.0` |");
    expect(markdown).to.contain("- update `kubernetes:helm.sh/v3:Release` ingress-emissary: version");
    expect(markdown).to.contain("- applied: 1 update");
    expect(markdown).to.contain("restored the previous config and re-applied it");
    expect(markdown).to.contain("- pre-promotion checkpoint: /data/promotions/p1");
  });
});

describe("promotion: checkpoint", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes config and state owner-only and says how to restore them", () => {
    const restore = writeCheckpoint(path.join(dir, "p1"), { stack: "ingress-prod", config: "config:\n  a: b\n", state: { version: 3, deployment: { resources: [] } } });
    const config = path.join(dir, "p1", "Pulumi.ingress-prod.yaml");
    const state = path.join(dir, "p1", "ingress-prod.state.json");
    expect(fs.readFileSync(config, "utf8")).to.equal("config:\n  a: b\n");
    expect(JSON.parse(fs.readFileSync(state, "utf8"))).to.deep.equal({ version: 3, deployment: { resources: [] } });
    for (const file of [config, state]) expect(fs.statSync(file).mode & 0o777).to.equal(0o600);
    expect(restore).to.deep.equal([`cp ${config} Pulumi.ingress-prod.yaml`, `pulumi stack import --stack ingress-prod --file ${state}`]);
  });

  it("a stack with no settings file gets it removed on restore; one with no state has nothing to import", () => {
    const restore = writeCheckpoint(dir, { stack: "data-prod", config: null, state: undefined });
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    expect(restore).to.deep.equal(["rm -f Pulumi.data-prod.yaml"]);
  });
});
