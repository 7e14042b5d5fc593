import { expect } from "chai";
import { runRecord, runStart } from "../../../orchestrator/history/record";
import { unsettledStacks } from "../../../orchestrator/history/unsettled-stacks";
import type { RunRecord, RunStart, StackOutcome } from "../../../orchestrator/model/run-record";
import type { Operation } from "../../../orchestrator/model/stack";

const at = (hour: number) => new Date(`2026-12-04T${String(hour).padStart(2, "0")}:00:00.000Z`);
const start = (operation: Operation, stacks: string[], hour: number) => runStart("dev", operation, stacks, at(hour));
const layerOf = (name: string) => name.replace(/-dev$/, "") as "foundation";

/** The record of `start` with one outcome per stack; `cancelled` records the run as stopped by a signal. */
function recordOf(begun: RunStart, outcomes: Record<string, StackOutcome>, cancelled = false): RunRecord {
  const aborted = new AbortController();
  if (cancelled) aborted.abort();
  const results = Object.entries(outcomes).map(([name, outcome]) => ({ stack: { layer: layerOf(name), env: "dev", name }, operation: begun.operation, outcome, durationMs: 1, attempts: 1, notes: [] }));
  return runRecord(begun, results, aborted.signal);
}

const ok: StackOutcome = { status: "succeeded", changes: {} };
const failed = (error: string): StackOutcome => ({ status: "failed", error });
const skipped: StackOutcome = { status: "skipped", reason: { kind: "cancelled" } };

describe("unsettled stacks: what the next run refreshes first (pure)", () => {
  it("a killed run (a start with no record) leaves every stack it started on unsettled", () => {
    const killed = start("up", ["foundation-dev", "ingress-dev"], 9);
    const unsettled = unsettledStacks([killed], []);
    expect([...unsettled.keys()]).to.deep.equal(["foundation-dev", "ingress-dev"]);
    expect(unsettled.get("ingress-dev")).to.deep.include({ cause: "killed", runId: killed.id, operation: "up" });
    expect(unsettled.get("ingress-dev")!.reason).to.equal(`killed run ${killed.id} (up by ${killed.user}@${killed.host}, started ${killed.startedAt})`);
  });

  it("a cancelled destroy leaves the stack it was destroying unsettled, not the ones it finished or never reached", () => {
    const destroy = start("destroy", ["data-dev", "observability-dev", "foundation-dev"], 9);
    const record = recordOf(destroy, { "data-dev": ok, "observability-dev": failed("cancelled: observability-ns (kubernetes:core/v1:Namespace) deleting failed"), "foundation-dev": skipped }, true);
    const unsettled = unsettledStacks([destroy], [record]);
    expect([...unsettled.keys()]).to.deep.equal(["observability-dev"]);
    expect(unsettled.get("observability-dev")!.reason).to.equal(`cancelled run ${destroy.id} (destroy by ${destroy.user}@${destroy.host}, started ${destroy.startedAt}: cancelled: observability-ns (kubernetes:core/v1:Namespace) deleting failed)`);
  });

  it("a failed run leaves its failed stacks unsettled; a timeout is named as one", () => {
    const up = start("up", ["foundation-dev", "ingress-dev"], 9);
    const record = recordOf(up, { "foundation-dev": failed('helm install: context deadline exceeded'), "ingress-dev": failed("chart values rejected") });
    const unsettled = unsettledStacks([up], [record]);
    expect(unsettled.get("foundation-dev")).to.deep.include({ cause: "timed out" });
    expect(unsettled.get("foundation-dev")!.reason).to.match(new RegExp(`^timed out in run ${up.id} \\(up by `));
    expect(unsettled.get("ingress-dev")).to.deep.include({ cause: "failed" });
    expect(unsettled.get("ingress-dev")!.reason).to.match(new RegExp(`^failed run ${up.id} \\(up by .*, started .*: chart values rejected\\)$`));
  });

  it("a later successful up, destroy or refresh of the stack settles it; a run of other stacks does not", () => {
    const killed = start("destroy", ["foundation-dev", "ingress-dev", "data-dev"], 9);
    const other = start("up", ["mesh-dev"], 10);
    const up = start("up", ["foundation-dev"], 11);
    const refresh = start("refresh", ["ingress-dev"], 12);
    const records = [recordOf(other, { "mesh-dev": ok }), recordOf(up, { "foundation-dev": { status: "unchanged", fingerprint: "f" } }), recordOf(refresh, { "ingress-dev": ok })];
    expect([...unsettledStacks([killed, other, up, refresh], records).keys()]).to.deep.equal(["data-dev"]);
  });

  it("only a later run settles: a success before the failure does not", () => {
    const good = start("up", ["ingress-dev"], 9);
    const bad = start("destroy", ["ingress-dev"], 10);
    const records = [recordOf(good, { "ingress-dev": ok }), recordOf(bad, { "ingress-dev": failed("cancelled: x") }, true)];
    expect(unsettledStacks([bad, good], records).get("ingress-dev")).to.deep.include({ cause: "cancelled", runId: bad.id });
  });

  it("the latest run that left a stack unsettled gives the reason", () => {
    const killed = start("up", ["ingress-dev"], 9);
    const failing = start("up", ["ingress-dev"], 10);
    const unsettled = unsettledStacks([killed, failing], [recordOf(failing, { "ingress-dev": failed("boom") })]);
    expect(unsettled.get("ingress-dev")).to.deep.include({ cause: "failed", runId: failing.id });
  });

  it("a failed preview leaves nothing unsettled: it changes no state", () => {
    const preview = start("preview", ["ingress-dev"], 9);
    expect(unsettledStacks([preview], [recordOf(preview, { "ingress-dev": failed("boom") })]).size).to.equal(0);
  });
});
