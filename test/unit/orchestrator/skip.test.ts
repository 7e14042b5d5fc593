import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runRecord, runStart } from "../../../orchestrator/history/record";
import { interruptedStacks } from "../../../orchestrator/history/stats";
import { HistoryStore } from "../../../orchestrator/history/store";
import type { StackRunResult } from "../../../orchestrator/model/run-record";
import { detectDrift } from "../../../orchestrator/drift/detect";
import { stackFingerprint } from "../../../orchestrator/run/fingerprint";
import { provablyUnchanged, skipDecision, type SkipFacts } from "../../../orchestrator/run/skip-unchanged";
import { FakeEngine } from "../../support/fake-engine";

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

describe("a drift check skips program previews an up would skip", () => {
  const id = (layer: "foundation" | "ingress" | "observability") => ({ layer, env: "dev", name: `${layer}-dev` });
  const facts = {
    of: () => ({ program: "p", settings: {}, config: "" }),
    upstream: new Map([["foundation-dev", []], ["ingress-dev", ["foundation-dev"]]]),
    markers: new Map([["foundation-dev", marker], ["ingress-dev", marker]]),
    interrupted: new Set<string>(),
    locked: async () => false,
  };
  const lastUpWith = (upstream: Record<string, string>) => ({
    fingerprint: stackFingerprint({ program: "p", settings: {}, config: "", upstream }),
    outputsDigest: "d",
    stateMarker: marker,
  });

  it("proves a stack unchanged from history and the backend's markers, and stops proving once either moves", async () => {
    const lastUps = new Map([["foundation-dev", lastUpWith({})], ["ingress-dev", lastUpWith({ "foundation-dev": "d" })]]);
    expect(await provablyUnchanged(id("ingress"), { ...facts, lastUps })).to.equal(true);
    const moved = new Map([...facts.markers, ["foundation-dev", { ...marker, lastUpdate: "2026-11-28T11:00:00.000Z" }]]);
    expect(await provablyUnchanged(id("ingress"), { ...facts, lastUps, markers: moved }), "upstream state written").to.equal(false);
    expect(await provablyUnchanged(id("ingress"), { ...facts, lastUps, of: () => ({ program: "p2", settings: {}, config: "" }) }), "program changed").to.equal(false);
  });

  it("runs only the refresh preview for a stack proven unchanged", async () => {
    const engine = new FakeEngine();
    engine.deployed.set("ingress-dev", {});
    engine.deployed.set("foundation-dev", {});
    const report = await detectDrift({ engine, records: engine.records }, "dev", [id("foundation"), id("ingress")], 2, undefined, { codeUnchanged: async (stack) => stack.layer === "ingress" });
    expect(engine.calls.filter((c) => c.operation === "preview").map((c) => c.stack)).to.deep.equal(["foundation-dev"]);
    expect(report.stacks.map((s) => s.pendingFrom)).to.deep.equal(["preview", "fingerprint"]);
  });

  it("runs only the program preview for a stack whose live objects prove reality unchanged, and asks the engine when a proof fails", async () => {
    const engine = new FakeEngine();
    for (const name of ["foundation-dev", "ingress-dev", "observability-dev"]) engine.deployed.set(name, {});
    const stacks = [id("foundation"), id("ingress"), id("observability")];
    const realityUnchanged = async (stack: { layer: string }): Promise<boolean> => {
      if (stack.layer === "observability") throw new Error("cluster unreachable");
      return stack.layer === "ingress";
    };
    const report = await detectDrift({ engine, records: engine.records }, "dev", stacks, 2, undefined, { realityUnchanged });
    expect(engine.calls.filter((c) => c.operation === "refresh").map((c) => c.stack)).to.deep.equal(["foundation-dev", "observability-dev"]);
    expect(report.stacks.map((s) => s.driftFrom)).to.deep.equal(["refresh", "live-objects", "refresh"]);
    expect(report.stacks.every((s) => !s.error)).to.equal(true);
  });
});
