import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runRecord } from "../../../orchestrator/history/record";
import { unfinishedRuns, unfinishedStacks } from "../../../orchestrator/history/unfinished-runs";
import type { LockHolder } from "../../../orchestrator/locks/environment-lock";
import type { RunStart, StackRunResult } from "../../../orchestrator/model/run-record";
import { renderHistory, renderStatus } from "../../../orchestrator/cli/output/inspect";
import { environmentStatus, historyView } from "../../../orchestrator/status/status";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

const corpus = path.resolve(__dirname, "../../fixtures/environments");

const start = (id: string, startedAt: string, extra: Partial<RunStart> = {}): RunStart => ({
  kind: "start",
  id,
  env: "valid",
  operation: "up",
  stacks: ["foundation-valid", "ingress-valid"],
  startedAt,
  user: "ci",
  host: "runner-1",
  pid: 4242,
  ...extra,
});
const holderOf = (run: RunStart, alive: boolean, extra: Partial<LockHolder> = {}): LockHolder => ({
  pid: run.pid,
  host: run.host,
  user: run.user,
  operation: run.operation,
  startedAt: new Date(Date.parse(run.startedAt) - 1000).toISOString(),
  alive,
  ...extra,
});

function upResult(name: string): StackRunResult {
  return { stack: { layer: "foundation", env: "valid", name }, operation: "up", outcome: { status: "succeeded", changes: {} }, durationMs: 1, attempts: 1, notes: [] };
}

describe("unfinished runs: running or interrupted (pure)", () => {
  const live = start("live", "2026-12-04T10:00:00.000Z");

  it("a start with no record whose run holds the environment's lock alive is running", () => {
    expect(unfinishedRuns([live], [], { valid: holderOf(live, true) })).to.deep.equal([{ start: live, state: "running" }]);
    const stacks = unfinishedStacks([live], [], { valid: holderOf(live, true) });
    expect([...stacks.values()].map((s) => s.state)).to.deep.equal(["running", "running"]);
  });

  const dead: [string, Record<string, LockHolder>][] = [
    ["no lock is held", {}],
    ["its lock holder's process is gone", { valid: holderOf(live, false) }],
    ["another run holds the lock now", { valid: holderOf(live, true, { pid: 999 }) }],
    ["a run on another host holds it", { valid: holderOf(live, true, { host: "runner-2" }) }],
    ["the holder took the lock after this run started (its pid reused)", { valid: holderOf(live, true, { startedAt: "2026-12-04T11:00:00.000Z" }) }],
    ["the holder is another environment's", { prod: holderOf(live, true) }],
  ];
  for (const [why, holders] of dead) {
    it(`is interrupted when ${why}`, () => {
      expect(unfinishedRuns([live], [], holders).map((r) => r.state)).to.deep.equal(["interrupted"]);
      expect([...unfinishedStacks([live], [], holders).values()].map((s) => s.state)).to.deep.equal(["interrupted", "interrupted"]);
    });
  }

  it("leaves out finished runs, and stacks a later run settled", () => {
    const killed = start("killed", "2026-12-04T08:00:00.000Z", { pid: 7 });
    const later = start("later", "2026-12-04T09:00:00.000Z", { stacks: ["foundation-valid"] });
    const records = [runRecord(later, [upResult("foundation-valid")])];
    expect(unfinishedRuns([killed, later], records, {}).map((r) => r.start.id)).to.deep.equal(["killed"]);
    expect([...unfinishedStacks([killed, later], records, {}).keys()]).to.deep.equal(["ingress-valid"]);
  });
});

describe("status and history tell a running run from a dead one", () => {
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(corpus)));
  afterEach(() => workspace.dispose());

  async function runInProgress(pid: number): Promise<RunStart> {
    fs.mkdirSync(workspace.lockDir, { recursive: true });
    const lockedAt = new Date(Date.now() - 2000).toISOString();
    fs.writeFileSync(path.join(workspace.lockDir, "valid.lock"), JSON.stringify({ pid, host: os.hostname(), user: "ci", operation: "up", startedAt: lockedAt }));
    const begun = start("in-progress", new Date(Date.now() - 1000).toISOString(), { host: os.hostname(), pid });
    await workspace.history.append(begun);
    return begun;
  }

  it("shows the stacks of a run whose lock holder is alive as running, with who and since when", async () => {
    const begun = await runInProgress(process.pid);
    const status = await environmentStatus(workspace, "valid");
    const foundation = status.stacks.find((s) => s.stack === "foundation-valid")!;
    expect(foundation.running).to.deep.equal({ operation: "up", startedAt: begun.startedAt, by: `ci@${os.hostname()} (pid ${process.pid})` });
    expect(foundation.interrupted).to.equal(undefined);
    expect(renderStatus(status)).to.match(new RegExp(`foundation-valid +running \\(up by ci@${os.hostname()} \\(pid ${process.pid}\\) since ${begun.startedAt}\\)`));
    const view = await historyView(workspace, "valid", 20);
    expect(view.unfinished.map((r) => [r.start.id, r.state])).to.deep.equal([["in-progress", "running"]]);
    expect(renderHistory(view)).to.match(/in progress or interrupted:\n.* up +valid +running +by ci@/);
  });

  it("keeps them interrupted when the lock holder's process is gone, and calls its lock stale", async () => {
    await runInProgress(999_999);
    const status = await environmentStatus(workspace, "valid");
    const foundation = status.stacks.find((s) => s.stack === "foundation-valid")!;
    expect(foundation.running).to.equal(undefined);
    expect(foundation.interrupted).to.deep.include({ operation: "up" });
    expect(status.lockedBy).to.deep.include({ pid: 999_999, alive: false });
    expect(renderStatus(status)).to.match(/stale lock of ci@.* \(pid 999999, up since .*\): its process is gone; the next run takes it over/);
    expect((await historyView(workspace, "valid", 20)).unfinished.map((r) => r.state)).to.deep.equal(["interrupted"]);
  });
});
