import { expect } from "chai";
import { planRun } from "../../../orchestrator/plan/plan";
import { runPlan, type RunnerOptions } from "../../../orchestrator/run/runner";
import type { FingerprintSources } from "../../../orchestrator/run/fingerprint-inputs";
import { scheduleEager, scheduleWaves } from "../../../orchestrator/run/scheduler";
import { makeGraph } from "../../../orchestrator/plan/graph";
import type { StackRunResult } from "../../../orchestrator/model/run-record";
import { FakeEngine, type FakeBehaviour } from "../../support/fake-engine";
import { planningEnv } from "../../support/environments";
import { LAYER_DEPENDENCIES, LAYER_NAMES } from "../../../environments/layers";

const upstream = new Map(LAYER_NAMES.map((layer) => [`${layer}-dev`, LAYER_DEPENDENCIES[layer].map((d) => `${d}-dev`)]));
const noSleep = async () => {};

type Overrides = Partial<RunnerOptions> & { operation?: "up" | "destroy" | "preview"; fingerprintOf?: FingerprintSources["of"] };

function run(engine: FakeEngine, { fingerprintOf, ...overrides }: Overrides = {}): Promise<StackRunResult[]> {
  const plan = planRun(planningEnv(), { operation: overrides.operation ?? "up" });
  return runPlan({ engine, records: engine.records, plan, concurrency: 4, sleep: noSleep, ...(fingerprintOf ? { fingerprints: { of: fingerprintOf, upstream } } : {}), ...overrides });
}

const lastUpsOf = (results: StackRunResult[]) =>
  new Map(results.map((r) => [r.stack.name, { fingerprint: r.fingerprint!, outputsDigest: r.outputsDigest, stateMarker: r.stateMarker }]));

const status = (results: StackRunResult[]) => Object.fromEntries(results.map((r) => [r.stack.layer, r.outcome.status]));

describe("runner against a fake engine", () => {
  // observability is held until the test lets it go; ingress finishes at once. The eager scheduler
  // starts edge (which needs only ingress) while observability is still running; a scheduler that
  // waits for the whole wave would not, and the same check then fails (the wave scheduler below).
  const heldGraph = () =>
    makeGraph(
      new Map([
        ["foundation", []],
        ["ingress", ["foundation"]],
        ["observability", ["foundation"]],
        ["edge", ["ingress"]],
      ]),
    );

  /** Runs the graph with observability held; returns the order of starts and ends. */
  async function orderWithObservabilityHeld(schedule: typeof scheduleEager): Promise<string[]> {
    const events: string[] = [];
    let releaseObservability!: () => void;
    const observabilityHeld = new Promise<void>((resolve) => (releaseObservability = resolve));
    let ingressDone!: () => void;
    const ingressFinished = new Promise<void>((resolve) => (ingressDone = resolve));
    const run = schedule(
      heldGraph(),
      async (name) => {
        events.push(`start ${name}`);
        if (name === "observability") await observabilityHeld;
        events.push(`end ${name}`);
        if (name === "ingress") ingressDone();
        return true;
      },
      { concurrency: 4 },
    );
    await ingressFinished;
    // Every promise callback the scheduler queued runs before this turn of the event loop: no time is waited.
    await new Promise((resolve) => setImmediate(resolve));
    releaseObservability();
    await run;
    return events;
  }

  it("starts a stack as soon as its own dependencies finish, not when the whole wave does", async () => {
    const events = await orderWithObservabilityHeld(scheduleEager);
    expect(events.indexOf("start edge"), events.join(", ")).to.be.lessThan(events.indexOf("end observability"));
  });

  it("the wave scheduler, given the same check, waits for the whole wave (so the check above can fail)", async () => {
    const events = await orderWithObservabilityHeld(scheduleWaves);
    expect(events.indexOf("start edge"), events.join(", ")).to.be.greaterThan(events.indexOf("end observability"));
  });

  it("never runs more stacks at once than --parallel", async () => {
    const engine = new FakeEngine(() => ({ delayMs: 30 }));
    const results = await run(engine, { concurrency: 2 });
    expect(engine.maxRunning).to.equal(2);
    expect(results.every((r) => r.outcome.status === "succeeded")).to.equal(true);
    const serial = new FakeEngine(() => ({ delayMs: 5 }));
    await run(serial, { concurrency: 1 });
    expect(serial.maxRunning).to.equal(1);
  });

  it("runs every stack after all of its dependencies finished", async () => {
    const engine = new FakeEngine(() => ({ delayMs: 5 }));
    await run(engine);
    const finishedAt = new Map(engine.finished.map((f) => [f.stack, f.at]));
    for (const call of engine.calls.filter((c) => c.operation === "up")) {
      for (const dependency of upstream.get(call.stack)!) expect(call.at, `${call.stack} after ${dependency}`).to.be.greaterThan(finishedAt.get(dependency)!);
    }
  });

  it("a failure skips its dependents, lets independent stacks finish, and reports which dependency failed", async () => {
    const engine = new FakeEngine((stack) => (stack === "ingress-dev" ? { fail: "error: helm release emissary-ingress failed" } : { delayMs: 5 }));
    const results = await run(engine);
    expect(status(results)).to.deep.equal({
      foundation: "succeeded",
      ingress: "failed",
      observability: "succeeded",
      gitops: "skipped",
      security: "skipped",
      mesh: "skipped",
      data: "skipped",
    });
    const gitops = results.find((r) => r.stack.layer === "gitops")!;
    expect(gitops.outcome).to.deep.equal({ status: "skipped", reason: { kind: "dependency-failed", dependency: "ingress-dev" } });
    expect(results.find((r) => r.stack.layer === "ingress")!.outcome).to.deep.include({ error: "error: helm release emissary-ingress failed" });
    expect(engine.calls.filter((c) => c.operation === "up").map((c) => c.stack)).to.not.include("gitops-dev");
  });

  it("a stack whose state does not parse fails without any call for it, its dependents are skipped with that reason, the rest run", async () => {
    for (const operation of ["up", "preview", "destroy"] as const) {
      const engine = new FakeEngine(() => ({ delayMs: 1 }));
      const why = "ingress-dev: its state file /s/ingress-dev.json does not parse (Unexpected end of JSON input); nothing was run on it or written to it";
      const results = await run(engine, { operation, unreadable: new Map([["ingress-dev", why]]) });
      expect(results.find((r) => r.stack.layer === "ingress")!.outcome).to.deep.equal({ status: "failed", error: why });
      expect(engine.calls.filter((call) => call.stack === "ingress-dev")).to.deep.equal([]);
      const skipped = results.filter((r) => r.outcome.status === "skipped");
      expect(skipped.map((r) => r.stack.layer).sort(), operation).to.deep.equal(operation === "destroy" ? ["foundation"] : ["data", "gitops", "mesh", "security"]);
      for (const result of skipped) {
        expect(result.outcome).to.deep.equal({ status: "skipped", reason: { kind: "dependency-failed", dependency: "ingress-dev", because: "its state file does not parse" } });
      }
      const ran = results.filter((r) => r.outcome.status === "succeeded").map((r) => r.stack.layer);
      expect(ran.sort(), operation).to.deep.equal(operation === "destroy" ? ["data", "gitops", "mesh", "observability", "security"] : ["foundation", "observability"]);
    }
  });

  it("retries transient engine errors with backoff, up to the bound", async () => {
    const flaky = new FakeEngine((stack) => (stack === "foundation-dev" ? { transientFailures: 2 } : {}));
    const results = await run(flaky, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    const foundation = results.find((r) => r.stack.layer === "foundation")!;
    expect(foundation.outcome.status).to.equal("succeeded");
    expect(foundation.attempts).to.equal(3);
    expect(foundation.notes.filter((n) => n.startsWith("attempt"))).to.have.length(2);

    const hopeless = new FakeEngine((stack) => (stack === "foundation-dev" ? { transientFailures: 5 } : {}));
    const failed = await run(hopeless, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(failed[0]!.outcome.status).to.equal("failed");
    expect(failed[0]!.attempts).to.equal(2);
  });

  it("does not retry ordinary errors, unless the configured list says they are transient", async () => {
    const engine = new FakeEngine((stack) => (stack === "foundation-dev" ? { fail: "error: rate exceeded" } : {}));
    const once = await run(engine, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(once[0]!.attempts).to.equal(1);
    const configured = await run(engine, { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 }, retryOn: [/rate exceeded/] });
    expect(configured[0]!.attempts).to.equal(3);
  });

  it("reports what recovery cleared from a killed run", async () => {
    const engine = new FakeEngine((stack) => (stack === "ingress-dev" ? { recoverNote: "cleared 2 pending operation(s) on ingress-dev" } : {}));
    const results = await run(engine);
    expect(results.find((r) => r.stack.layer === "ingress")!.notes).to.include("cleared 2 pending operation(s) on ingress-dev");
  });

  it("skips stacks whose fingerprint and state match their last successful up, unless forced; upstream output changes re-run dependents", async () => {
    let moved = false;
    const engine = new FakeEngine((stack) => (moved && stack === "foundation-dev" ? { outputs: { endpoint: { value: "https://moved", secret: false } } } : {}));
    const fingerprintOf = () => ({ program: "p1", settings: {}, config: "" });
    const first = await run(engine, { fingerprintOf });
    const last = lastUpsOf(first);
    const second = await run(engine, { fingerprintOf, lastUps: last });
    expect(new Set(second.map((r) => r.outcome.status))).to.deep.equal(new Set(["unchanged"]));
    expect(engine.calls.filter((c) => c.operation === "up")).to.have.length(7);
    expect(engine.calls.filter((c) => c.operation === "recover" || c.operation === "prepare"), "a skip costs no engine call").to.have.length(7 + 0);

    const forced = await run(engine, { fingerprintOf, lastUps: last, force: true });
    expect(new Set(forced.map((r) => r.outcome.status))).to.deep.equal(new Set(["succeeded"]));
    const afterForce = lastUpsOf(forced);

    // ingress's settings change: it re-runs; its outputs are the same, so only it runs.
    const changed = await run(engine, { fingerprintOf: (s) => ({ program: "p1", settings: s.layer === "ingress" ? { replicas: 2 } : {}, config: "" }), lastUps: afterForce });
    expect(changed.filter((r) => r.outcome.status === "succeeded").map((r) => r.stack.layer)).to.deep.equal(["ingress"]);

    // foundation's state changes (an up by hand) and its next up moves its outputs: the stacks downstream run too.
    moved = true;
    engine.touch("foundation-dev");
    const downstream = await run(engine, { fingerprintOf, lastUps: lastUpsOf(changed) });
    expect(downstream.filter((r) => r.outcome.status === "succeeded").map((r) => r.stack.layer)).to.include.members(["foundation", "ingress", "observability"]);
  });

  it("never skips a stack whose state was written since its last up (a killed run, a destroy by hand), and refreshes it first", async () => {
    const engine = new FakeEngine();
    const fingerprintOf = () => ({ program: "p1", settings: {}, config: "" });
    const last = lastUpsOf(await run(engine, { fingerprintOf }));
    engine.touch("ingress-dev");
    engine.deployed.delete("data-dev");
    engine.touch("data-dev");
    const next = await run(engine, { fingerprintOf, lastUps: last });
    expect(status(next)).to.include({ foundation: "unchanged", ingress: "succeeded", data: "succeeded", mesh: "unchanged" });
    expect(engine.deployed.has("data-dev"), "the destroyed stack is deployed again").to.equal(true);
  });

  it("never skips a stack an earlier run left unsettled or whose engine lock is held; recovery and a refresh come first", async () => {
    const engine = new FakeEngine((stack) => (stack === "ingress-dev" ? { recoverNote: "cleared 1 pending operation(s) on ingress-dev" } : {}));
    const fingerprintOf = () => ({ program: "p1", settings: {}, config: "" });
    const last = lastUpsOf(await run(engine, { fingerprintOf }));
    engine.locked.add("mesh-dev");
    engine.calls.length = 0;
    const next = await run(engine, { fingerprintOf, lastUps: last, unsettled: new Map([["gitops-dev", "killed run r1 (up, started 2026-12-04T10:00:00.000Z)"]]) });
    expect(status(next)).to.include({ foundation: "unchanged", gitops: "succeeded", mesh: "succeeded", data: "unchanged" });
    const gitops = next.find((r) => r.stack.layer === "gitops")!;
    expect(gitops.notes).to.include("refreshing state from the cluster first: the killed run r1 (up, started 2026-12-04T10:00:00.000Z) left it unsettled");
    expect(engine.calls.filter((c) => c.operation === "up" && c.refresh).map((c) => c.stack)).to.include("gitops-dev");
    expect(engine.calls.filter((c) => c.operation === "up" && !c.refresh).map((c) => c.stack)).to.include("mesh-dev");
  });

  it("never skips a stack whose Helm release was repaired, notes the repair and refreshes it first; a repair that fails fails only that stack", async () => {
    const engine = new FakeEngine();
    const fingerprintOf = () => ({ program: "p1", settings: {}, config: "" });
    const last = lastUpsOf(await run(engine, { fingerprintOf }));
    engine.calls.length = 0;
    const repairReleases = async (stack: { name: string }) => {
      if (stack.name === "mesh-dev") throw new Error("Helm release istio-system/istiod (revision 2 pending-upgrade) could not be repaired: `helm rollback istiod 1 --namespace istio-system` failed: boom");
      return stack.name === "ingress-dev"
        ? { notes: ["emissary-ingress: revision 3 left pending-upgrade by an interrupted run; rolled back to revision 2 (last deployed)"], reconcile: "a Helm release of it was repaired" }
        : { notes: [] };
    };
    const next = await run(engine, { fingerprintOf, lastUps: last, stackStep: { before: repairReleases } });
    expect(status(next)).to.include({ foundation: "unchanged", ingress: "succeeded", mesh: "failed", data: "unchanged" });
    const ingress = next.find((r) => r.stack.layer === "ingress")!;
    expect(ingress.notes).to.deep.equal([
      "emissary-ingress: revision 3 left pending-upgrade by an interrupted run; rolled back to revision 2 (last deployed)",
      "refreshing state from the cluster first: a Helm release of it was repaired",
    ]);
    expect(engine.calls.filter((c) => c.operation === "up" && c.refresh).map((c) => c.stack)).to.deep.equal(["ingress-dev"]);
    const mesh = next.find((r) => r.stack.layer === "mesh")!;
    expect(mesh.outcome).to.include({ status: "failed" });
    expect((mesh.outcome as { error: string }).error).to.contain("istio-system/istiod").and.contain("`helm rollback istiod 1 --namespace istio-system` failed");
  });

  it("records each succeeded up's output digest and state marker, never the output values", async () => {
    const engine = new FakeEngine();
    const results = await run(engine, { fingerprintOf: () => ({ program: "p1", settings: {}, config: "" }) });
    for (const result of results) {
      expect(result.outputsDigest).to.match(/^[0-9a-f]{32}$/);
      expect(result.stateMarker).to.deep.equal(engine.markers.get(result.stack.name));
    }
    expect(JSON.stringify(results)).to.not.contain("s3cr3t");
  });

  it("destroy goes in reverse and treats a missing stack as nothing to do", async () => {
    const engine = new FakeEngine();
    await run(engine);
    engine.deployed.delete("data-dev");
    const results = await run(engine, { operation: "destroy", plan: planRun(planningEnv(), { operation: "destroy" }) });
    expect(results.every((r) => r.outcome.status === "succeeded")).to.equal(true);
    expect(results.find((r) => r.stack.layer === "data")!.notes).to.include("stack does not exist; nothing to do");
    const destroyed = engine.calls.filter((c) => c.operation === "destroy").map((c) => c.stack);
    expect(destroyed[destroyed.length - 1]).to.equal("foundation-dev");
    expect(destroyed).to.not.include("data-dev");
  });

  it("a subset whose upstream stack was never deployed fails naming that stack and the fix", async () => {
    const fingerprintOf = () => ({ program: "p1", settings: {}, config: "" });
    const results = await run(new FakeEngine(), { fingerprintOf, plan: planRun(planningEnv(), { operation: "up", layers: ["ingress"] }) });
    const outcome = results.find((r) => r.stack.layer === "ingress")!.outcome;
    expect(outcome.status).to.equal("failed");
    expect(outcome.status === "failed" && outcome.error).to.equal(
      "foundation-dev is not deployed and this stack needs its outputs; deploy it first (add --with-deps, or include --layers foundation)",
    );
  });

  it("cancellation stops new stacks from starting and reports them as cancelled", async () => {
    const controller = new AbortController();
    // Cancelled while the first stack runs: the engine's own call is the moment, not a timer.
    const engine = new FakeEngine((stack) => {
      if (stack === "foundation-dev") controller.abort();
      return {};
    });
    const results = await run(engine, { signal: controller.signal });
    expect(results[0]!.outcome.status).to.equal("succeeded");
    expect(results.slice(1).every((r) => r.outcome.status === "skipped" && r.outcome.reason.kind === "cancelled")).to.equal(true);
  });
});
