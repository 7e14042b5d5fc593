import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runRecord, runStart } from "../../../orchestrator/history/record";
import { interruptedStacks } from "../../../orchestrator/history/stats";
import { HistoryStore } from "../../../orchestrator/history/store";
import type { StackRunResult } from "../../../orchestrator/results";
import { skipDecision, type SkipFacts } from "../../../orchestrator/run/skip";

const marker = { lastUpdate: "2026-11-28T10:00:00.000Z", resourceCount: 12 };
const passing: SkipFacts = {
  force: false,
  fingerprint: "f1",
  last: { fingerprint: "f1", outputsDigest: "d1", stateMarker: marker },
  marker,
  interrupted: false,
  locked: false,
};

function upResult(name: string): StackRunResult {
  return { stack: { layer: "ingress", env: "dev", name }, operation: "up", outcome: { status: "succeeded", changes: {} }, durationMs: 1, attempts: 1, notes: [] };
}

describe("skipping unchanged stacks", () => {
  it("skips only when fingerprint, state marker and lock all agree with the last successful up", () => {
    expect(skipDecision(passing)).to.deep.equal({ skip: true });
    const cases: Array<[Partial<SkipFacts>, string]> = [
      [{ force: true }, "--force"],
      [{ last: undefined }, "no successful up recorded"],
      [{ interrupted: true }, "a run on it was interrupted"],
      [{ locked: true }, "its stack lock is held"],
      [{ marker: undefined }, "the stack is not in the backend"],
      [{ marker: { ...marker, lastUpdate: "2026-11-28T10:05:00.000Z" } }, "its state was written since its last up"],
      [{ marker: { ...marker, resourceCount: 0 } }, "its state was written since its last up"],
      [{ last: { fingerprint: "f1" } }, "its last up predates state markers"],
      [{ fingerprint: "f2" }, "program, config or upstream outputs changed"],
    ];
    for (const [change, why] of cases) expect(skipDecision({ ...passing, ...change }), why).to.deep.equal({ skip: false, why });
  });
});

describe("interrupted runs from the history journal", () => {
  it("a start with no record marks its stacks interrupted until a later run settles them", () => {
    const finished = runStart("dev", "up", ["ingress-dev"], new Date("2026-11-28T09:00:00Z"));
    const killed = runStart("dev", "destroy", ["ingress-dev", "data-dev"], new Date("2026-11-28T10:00:00Z"));
    const records = [runRecord(finished, [upResult("ingress-dev")])];
    expect([...interruptedStacks([finished, killed], records).keys()].sort()).to.deep.equal(["data-dev", "ingress-dev"]);

    const recovery = runStart("dev", "up", ["ingress-dev"], new Date("2026-11-28T11:00:00Z"));
    const later = [...records, runRecord(recovery, [upResult("ingress-dev")])];
    expect([...interruptedStacks([finished, killed, recovery], later).keys()]).to.deep.equal(["data-dev"]);
  });

  it("the store keeps start lines apart from run records", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"));
    const store = new HistoryStore(path.join(dir, "runs.jsonl"));
    const start = runStart("dev", "up", ["ingress-dev"], new Date());
    store.append(start);
    expect(store.read()).to.deep.equal([]);
    expect(store.starts({ env: "dev" })).to.deep.equal([start]);
    store.append(runRecord(start, [upResult("ingress-dev")]));
    expect(store.read().map((r) => r.id)).to.deep.equal([start.id]);
    expect(fs.statSync(store.file).mode & 0o777).to.equal(0o600);
    fs.rmSync(dir, { recursive: true });
  });
});
