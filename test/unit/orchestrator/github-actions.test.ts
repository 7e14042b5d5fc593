import { expect } from "chai";
import { parse } from "yaml";
import type { StackId } from "../../../orchestrator/model/stack";
import type { LastUp } from "../../../orchestrator/history/stats";
import { renderGithubActions } from "../../../orchestrator/plan/github-actions";
import { planRun } from "../../../orchestrator/plan/plan";
import { changedStacks } from "../../../orchestrator/run/changed-stacks";
import { outputsDigest, stackFingerprint } from "../../../orchestrator/run/fingerprint";
import { planningEnv } from "../../support/environments";
import { FakeEngine } from "../../support/fake-engine";
import { evaluate, jobCondition } from "../../support/gha-expressions";

interface Job {
  needs: string[];
  if?: string;
  environment?: string;
  outputs?: Record<string, string>;
  steps: Array<{ run?: string; uses?: string; id?: string }>;
}

describe("GitHub Actions workflow from the stack plan", () => {
  const plan = planRun(planningEnv("prod"), { operation: "up" });
  const workflow = parse(renderGithubActions(plan, { target: "aws", region: "eu-west-1" })) as { concurrency: unknown; env: Record<string, string>; jobs: Record<string, Job> };

  it("has one job per stack, needing the plan job and every stack upstream of it", () => {
    expect(Object.keys(workflow.jobs)).to.deep.equal(["plan", ...plan.stacks.map((s) => s.name), "unlock"]);
    expect(workflow.jobs["foundation-prod"]!.needs).to.deep.equal(["plan"]);
    expect(workflow.jobs["ingress-prod"]!.needs).to.deep.equal(["plan", "foundation-prod"]);
    expect(workflow.jobs["mesh-prod"]!.needs).to.deep.equal(["plan", "foundation-prod", "ingress-prod", "observability-prod"]);
    expect(workflow.jobs.unlock!.needs).to.have.length(plan.stacks.length + 1);
  });

  it("runs each stack through the CLI in its own environment, one workflow run per environment at a time", () => {
    expect(workflow.jobs["data-prod"]!.steps.at(-1)!.run).to.equal("npm run up -- --env prod --layers data");
    expect(Object.values(workflow.jobs).filter((job) => job.environment !== undefined).every((job) => job.environment === "prod")).to.equal(true);
    expect(workflow.concurrency).to.deep.equal({ group: "platform-prod", queue: "max" });
    expect(workflow.env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
    expect(workflow.env.PLATFORM_SECRETS_PROVIDER).to.equal("${{ vars.PLATFORM_SECRETS_PROVIDER }}");
  });

  it("passes nothing between jobs but the plan job's list of changed stacks", () => {
    const withOutputs = Object.entries(workflow.jobs).filter(([, job]) => job.outputs).map(([id]) => id);
    expect(withOutputs).to.deep.equal(["plan"]);
    expect(JSON.stringify(workflow.jobs)).to.not.match(/needs\.[a-z]+-prod\.outputs/);
  });

  const decide = (job: string, needs: Record<string, string>, changed: string[]) =>
    jobCondition(workflow.jobs[job]!.if, {
      contexts: { needs: Object.fromEntries(Object.entries(needs).map(([id, result]) => [id, { result, outputs: id === "plan" ? { changed: JSON.stringify(changed) } : {} }])) },
      needResults: Object.values(needs),
      cancelled: false,
    });

  it("skips an unchanged stack without skipping its changed dependents, and stops below a failure", () => {
    const upstreamOfIngress = { plan: "success", "foundation-prod": "skipped" };
    expect(decide("foundation-prod", { plan: "success" }, ["ingress-prod"])).to.equal(false);
    expect(decide("ingress-prod", upstreamOfIngress, ["ingress-prod"])).to.equal(true);
    expect(decide("gitops-prod", { plan: "success", "foundation-prod": "failure", "ingress-prod": "skipped", "observability-prod": "skipped" }, ["gitops-prod"])).to.equal(false);
    expect(decide("unlock", { plan: "success", "foundation-prod": "failure" }, [])).to.equal(true);
  });

  it("evaluates the expression forms the workflow uses", () => {
    const context = { contexts: { needs: { a: { result: "success" }, b: { result: "failure" } } }, needResults: ["success", "failure"], cancelled: false };
    expect(evaluate("contains(needs.*.result, 'failure')", context)).to.equal(true);
    expect(evaluate("!cancelled() && needs.a.result == 'success'", context)).to.equal(true);
    expect(evaluate("contains(fromJSON('[\"x-dev\"]'), 'x-dev')", context)).to.equal(true);
  });
});

describe("changed stacks for a CI workflow's first job", () => {
  const plan = planRun(planningEnv("dev"), { operation: "up" });
  const upstream = new Map(plan.stacks.map((s) => [s.name, [...plan.graph.dependencies.get(s.name)!]]));
  const of = (stack: StackId) => ({ program: "p", settings: { layer: stack.layer }, config: "" });

  async function deployedEngine() {
    const engine = new FakeEngine();
    for (const stack of plan.stacks) await engine.run("up", stack);
    return engine;
  }
  /** The last ups an up of every stack would have recorded, with `tweak` spoiling some fingerprints. */
  async function factsOf(engine: FakeEngine, tweak: (name: string) => string = () => "") {
    const markers = await engine.records.stateMarkers();
    const lastUps = new Map<string, LastUp>();
    for (const stack of plan.stacks) {
      const digests = Object.fromEntries(upstream.get(stack.name)!.map((need) => [need, outputsDigest(engine.deployed.get(need)!)]));
      lastUps.set(stack.name, {
        fingerprint: stackFingerprint({ ...of(stack), upstream: digests }) + tweak(stack.name),
        outputsDigest: outputsDigest(engine.deployed.get(stack.name)!),
        stateMarker: markers.get(stack.name)!,
      });
    }
    return { of, upstream, lastUps, markers, interrupted: new Set<string>(), locked: async () => false };
  }

  it("lists nothing when every stack would be skipped as unchanged", async () => {
    const engine = await deployedEngine();
    expect(await changedStacks({ plan, facts: await factsOf(engine), concurrency: 2 })).to.deep.equal([]);
  });

  it("lists a changed stack and everything downstream of it, in plan order", async () => {
    const engine = await deployedEngine();
    const facts = await factsOf(engine, (name) => (name === "observability-dev" ? "-old" : ""));
    expect(await changedStacks({ plan, facts, concurrency: 2 })).to.deep.equal(["observability-dev", "gitops-dev", "security-dev", "mesh-dev", "data-dev"]);
  });

  it("lists a stack whose state was written since its last up, as an up would run it", async () => {
    const engine = await deployedEngine();
    const facts = await factsOf(engine);
    engine.touch("mesh-dev");
    expect(await changedStacks({ plan, facts: { ...facts, markers: await engine.records.stateMarkers() }, concurrency: 2 })).to.deep.equal(["mesh-dev"]);
  });

  it("lists stacks never deployed", async () => {
    const facts = { of, upstream, lastUps: new Map<string, LastUp>(), markers: new Map(), interrupted: new Set<string>(), locked: async () => false };
    expect(await changedStacks({ plan, facts, concurrency: 2 })).to.deep.equal(plan.stacks.map((s) => s.name));
  });
});
