import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { HistoryStore } from "../../../orchestrator/history/store";
import { redact, redactDeep } from "../../../orchestrator/history/redact";
import { historyStats, lastUpFingerprints, percentile } from "../../../orchestrator/history/stats";
import { acquireLock, fileLockHolds, LockedError, type LockOwner } from "../../../orchestrator/locks/environment-lock";
import type { RunRecord, StackRunResult } from "../../../orchestrator/model/run-record";
import { backoffDelay } from "../../../orchestrator/run/retry";

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "orch-"));

describe("environment run lock", () => {
  it("refuses a second run while the first holds the lock, saying who and since when", () => {
    const dir = tempDir();
    const held = acquireLock(dir, "dev", "up");
    expect(() => acquireLock(dir, "dev", "destroy")).to.throw(LockedError, new RegExp(`locked by ${os.userInfo().username}@${os.hostname()} \\(pid ${process.pid}, up since \\d{4}-`));
    expect(acquireLock(dir, "prod", "up").file).to.match(/prod\.lock$/);
    held.release();
    acquireLock(dir, "dev", "destroy").release();
  });

  it("takes over a stale lock whose process is gone, and says so", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "dev.lock"), JSON.stringify({ pid: 999999, host: os.hostname(), user: "ci", operation: "up", startedAt: "2026-01-01T00:00:00Z" }));
    const held = acquireLock(dir, "dev", "up");
    expect(held.recovered).to.deep.include({ pid: 999999, user: "ci" });
    held.release();
    fs.writeFileSync(path.join(dir, "dev.lock"), "{torn");
    expect(acquireLock(dir, "dev", "up").recovered).to.deep.include({ host: "unknown" });
  });

  it("never takes over a workflow lock by its pid: its process ended when `lock acquire` did", () => {
    const dir = tempDir();
    // As `lock acquire` on a file:// backend wrote it before that was refused.
    fs.writeFileSync(path.join(dir, "dev.lock"), JSON.stringify({ pid: 999999, host: os.hostname(), user: "ci", operation: "workflow", startedAt: "2026-01-01T00:00:00Z" }));
    expect(() => acquireLock(dir, "dev", "up")).to.throw(LockedError, /locked by ci@.* workflow since .*; a lock taken by `lock acquire` is not judged by its process: if that workflow run is over, delete .*dev\.lock/);
    expect(fs.existsSync(path.join(dir, "dev.lock"))).to.equal(true);
  });

  it("judges a run's lock by its process and a workflow's lock by nothing but its presence (pure)", () => {
    const owner = (operation: string): LockOwner => ({ pid: 4242, host: "runner-1", user: "ci", operation, startedAt: "2026-01-01T00:00:00Z" });
    const alive = () => true;
    const dead = () => false;
    expect(fileLockHolds(owner("up"), alive)).to.equal(true);
    expect(fileLockHolds(owner("up"), dead)).to.equal(false);
    expect(fileLockHolds(owner("workflow"), alive)).to.equal(true);
    expect(fileLockHolds(owner("workflow"), dead), "a workflow lock whose process is gone still holds").to.equal(true);
  });

  it("treats a lock from another host as live (it cannot check that process)", () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, "dev.lock"), JSON.stringify({ pid: 1, host: "ci-runner-7", user: "ci", operation: "up", startedAt: "x" }));
    expect(() => acquireLock(dir, "dev", "up")).to.throw(LockedError, /ci@ci-runner-7/);
  });
});

function result(stack: string, operation: "up" | "destroy", status: "succeeded" | "failed" | "unchanged", durationMs: number, extra: Partial<StackRunResult> = {}): StackRunResult {
  const outcome =
    status === "succeeded" ? { status, changes: {} } : status === "failed" ? { status, error: "error: helm timed out\nmore" } : { status, fingerprint: "f" };
  return { stack: { layer: "ingress", env: "dev", name: stack }, operation, outcome, durationMs, attempts: 1, notes: [], ...extra } as StackRunResult;
}

function record(stacks: StackRunResult[], operation: "up" | "destroy" = "up"): RunRecord {
  const failed = stacks.some((s) => s.outcome.status === "failed");
  return { id: "r", env: "dev", operation, startedAt: "2026-11-23T00:00:00Z", finishedAt: "x", durationMs: 100, user: "u", host: "h", status: failed ? "failed" : "succeeded", stacks };
}

describe("run history", () => {
  it("computes success rate, mean and p95 per stack, and the most frequent failures", () => {
    const records = [
      record([result("ingress-dev", "up", "succeeded", 100), result("data-dev", "up", "failed", 50)]),
      record([result("ingress-dev", "up", "succeeded", 300), result("data-dev", "up", "failed", 70)]),
      record([result("ingress-dev", "up", "failed", 200), result("data-dev", "up", "unchanged", 1)]),
    ];
    const stats = historyStats(records);
    const ingress = stats.stacks.find((s) => s.stack === "ingress-dev")!;
    expect(ingress).to.deep.include({ runs: 3, succeeded: 2, failed: 1, meanMs: 200, p95Ms: 300 });
    expect(stats.stacks.find((s) => s.stack === "data-dev")!.runs).to.equal(2);
    expect(stats.topFailures[0]).to.deep.equal({ error: "error: helm timed out", count: 3, stacks: ["data-dev", "ingress-dev"] });
    expect(stats.successRate).to.be.closeTo(0, 0.001);
  });

  it("p95 is nearest-rank", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100], 95)).to.equal(19);
    expect(percentile([], 95)).to.equal(0);
  });

  it("remembers a stack's fingerprint from its last successful up, forgets it after destroy or a failed up", () => {
    const up = record([result("ingress-dev", "up", "succeeded", 1, { fingerprint: "abc" }), result("data-dev", "up", "succeeded", 1, { fingerprint: "d1" })]);
    expect(lastUpFingerprints([up])).to.deep.equal(new Map([["ingress-dev", "abc"], ["data-dev", "d1"]]));
    const destroyed = record([result("ingress-dev", "destroy", "succeeded", 1)], "destroy");
    const failedUp = record([result("data-dev", "up", "failed", 1, { fingerprint: "d2" })]);
    expect(lastUpFingerprints([up, destroyed, failedUp])).to.deep.equal(new Map());
  });

  it("stores runs as JSON lines and survives a torn last line", () => {
    const store = new HistoryStore(path.join(tempDir(), "h", "runs.jsonl"));
    store.append(record([result("ingress-dev", "up", "succeeded", 1)]));
    fs.appendFileSync(store.file, '{"id": "half');
    expect(store.read()).to.have.length(1);
    expect(store.read({ env: "prod" })).to.have.length(0);
    expect(fs.statSync(store.file).mode & 0o777).to.equal(0o600);
  });

  it("redacts known secret values everywhere in a record", () => {
    expect(redact("token hunter22 leaked", ["hunter22"])).to.equal("token [secret] leaked");
    expect(redactDeep({ a: ["x hunter22"], b: { c: "hunter22" }, n: 1 }, ["hunter22"])).to.deep.equal({ a: ["x [secret]"], b: { c: "[secret]" }, n: 1 });
  });
});

describe("retry backoff", () => {
  it("doubles from the base, caps at the maximum, and jitters downward by at most 20%", () => {
    const policy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 3000 };
    expect([2, 3, 4].map((attempt) => backoffDelay(policy, attempt, () => 0))).to.deep.equal([1000, 2000, 3000]);
    expect(backoffDelay(policy, 2, () => 1)).to.equal(800);
  });
});
