import { expect } from "chai";
import type { OperationResult, RunOptions } from "../../../orchestrator/engine/stack-engine";
import type { Operation, StackId } from "../../../orchestrator/model/stack";
import { planRun } from "../../../orchestrator/plan/plan";
import { runPlan } from "../../../orchestrator/run/runner";
import { staleFailure, staleObjectsIn, staleObjectsOf, staleRetryNote } from "../../../orchestrator/run/stale-objects";
import { planningEnv } from "../../support/environments";
import { FakeEngine } from "../../support/fake-engine";

const MISSING_NAMESPACE = 'observability-tempo (kubernetes:helm.sh/v3:Release) create failed: create: failed to create: namespaces "observability" not found';
const MISSING_CRD = 'observability-rules (kubernetes:monitoring.coreos.com/v1:PrometheusRule) create failed: resource mapping not found for name: "rules": no matches for kind "PrometheusRule" in version "monitoring.coreos.com/v1"';

describe("stale objects: what an engine error says the cluster lacks (pure)", () => {
  it("finds a missing namespace in a create error", () => {
    expect(staleObjectsIn(MISSING_NAMESPACE)).to.deep.equal([{ kind: "namespace", name: "observability" }]);
  });

  it("finds a kind the cluster does not serve (its CRD is gone)", () => {
    expect(staleObjectsIn(MISSING_CRD)).to.deep.equal([{ kind: "crd", resourceKind: "PrometheusRule", version: "monitoring.coreos.com/v1" }]);
  });

  it("names each object once, however often the error repeats it", () => {
    expect(staleObjectsIn(`${MISSING_NAMESPACE} | ${MISSING_NAMESPACE}\n${MISSING_CRD}`)).to.have.length(2);
  });

  it("finds nothing in errors about something else", () => {
    for (const message of ['secrets "grafana-admin" not found', "Another update is currently in progress", 'configmaps "x" is forbidden: unable to create new content in namespace observability because it is being terminated']) {
      expect(staleObjectsIn(message), message).to.deep.equal([]);
    }
  });

  it("reads the engine's transcript (detail) too", () => {
    expect(staleObjectsOf(Object.assign(new Error("observability-dev: update failed"), { detail: MISSING_NAMESPACE }))).to.deep.equal([{ kind: "namespace", name: "observability" }]);
  });

  it("the failure names the stale object and the command that repairs the state", () => {
    const text = staleFailure(MISSING_NAMESPACE, staleObjectsIn(MISSING_NAMESPACE), "dev");
    expect(text).to.contain('namespace "observability" is missing from the cluster').and.to.contain("`npm run up -- --env dev --refresh`");
    expect(staleRetryNote(staleObjectsIn(MISSING_CRD))).to.equal(
      "the CRD of kind PrometheusRule (monitoring.coreos.com/v1) not found in the cluster, though the stack's state may hold it: refreshing state from the cluster and trying once more",
    );
  });
});

/** Fails an up of `stack` with `message` while the run does not refresh (or always, when `refreshHelps` is false). */
class StaleStateEngine extends FakeEngine {
  constructor(
    private readonly stale: string,
    private readonly message: string,
    private readonly refreshHelps: boolean,
  ) {
    super();
  }
  override async run(operation: Operation, stack: StackId, options: RunOptions = {}): Promise<OperationResult> {
    if (operation === "up" && stack.name === this.stale && (!options.refresh || !this.refreshHelps)) {
      this.calls.push({ operation, stack: stack.name, at: 0, ...(options.refresh ? { refresh: true } : {}) });
      throw new Error(this.message);
    }
    return super.run(operation, stack, options);
  }
}

describe("runner: an up that meets a stale object", () => {
  const up = (engine: FakeEngine, extra: { refresh?: boolean } = {}) =>
    runPlan({ engine, records: engine.records, plan: planRun(planningEnv(), { operation: "up" }), concurrency: 2, sleep: async () => {}, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, ...extra });

  it("refreshes that stack and tries once more, with a note of what it found", async () => {
    const engine = new StaleStateEngine("observability-dev", MISSING_NAMESPACE, true);
    const results = await up(engine);
    const observability = results.find((r) => r.stack.name === "observability-dev")!;
    expect(observability.outcome.status).to.equal("succeeded");
    expect(observability.notes).to.include(staleRetryNote([{ kind: "namespace", name: "observability" }]));
    expect(engine.calls.filter((c) => c.stack === "observability-dev" && c.operation === "up").map((c) => c.refresh ?? false)).to.deep.equal([false, true]);
  });

  it("still failing after the refresh, fails with the stale object and the repair command", async () => {
    const engine = new StaleStateEngine("observability-dev", MISSING_NAMESPACE, false);
    const observability = (await up(engine)).find((r) => r.stack.name === "observability-dev")!;
    expect(observability.outcome.status).to.equal("failed");
    expect(observability.outcome.status === "failed" && observability.outcome.error).to.contain('namespace "observability" is missing').and.to.contain("npm run up -- --env dev --refresh");
    expect(engine.calls.filter((c) => c.stack === "observability-dev" && c.operation === "up")).to.have.length(2);
  });

  it("does not try again when the run had refreshed already", async () => {
    const engine = new StaleStateEngine("observability-dev", MISSING_NAMESPACE, false);
    const observability = (await up(engine, { refresh: true })).find((r) => r.stack.name === "observability-dev")!;
    expect(observability.outcome.status === "failed" && observability.outcome.error).to.contain("npm run up -- --env dev --refresh");
    expect(engine.calls.filter((c) => c.stack === "observability-dev" && c.operation === "up")).to.have.length(1);
  });

  it("leaves other failures as they are: one attempt, the engine's message", async () => {
    const engine = new StaleStateEngine("observability-dev", 'secrets "grafana-admin" not found', false);
    const observability = (await up(engine)).find((r) => r.stack.name === "observability-dev")!;
    expect(observability.outcome.status === "failed" && observability.outcome.error).to.equal('secrets "grafana-admin" not found');
    expect(engine.calls.filter((c) => c.stack === "observability-dev" && c.operation === "up")).to.have.length(1);
  });
});
