import { expect } from "chai";
import type { DriftEntry, PromotionEntry } from "../../../orchestrator/history/journal";
import type { LockHolder } from "../../../orchestrator/locks/environment-lock";
import type { ProgressEvent } from "../../../orchestrator/model/progress-event";
import type { RunRecord, RunStart } from "../../../orchestrator/model/run-record";
import { driftOf } from "../../../orchestrator/report/dashboard/environment-matrix";
import { promotionsView } from "../../../orchestrator/report/dashboard/promotions";
import { runView } from "../../../orchestrator/report/dashboard/run-view";
import { trends } from "../../../orchestrator/report/dashboard/trends";

const start: RunStart = { kind: "start", id: "r1", env: "dev", operation: "up", stacks: ["a", "b", "c"], startedAt: "2026-12-01T10:00:00.000Z", user: "ci", host: "runner", pid: 42 };
const at = (s: number) => new Date(Date.parse(start.startedAt) + s * 1000).toISOString();
const stack = (s: number, name: string, state: "running" | "succeeded" | "failed", elapsed: number, detail?: string): ProgressEvent => ({
  kind: "stack",
  at: at(s),
  progress: { stack: name, state, elapsedMs: elapsed * 1000, resourcesDone: 1, ...(detail ? { detail } : {}) },
});
const needs = (name: string) => (name === "b" ? ["a"] : name === "c" ? ["a"] : []);
const holder = (pid: number): LockHolder => ({ user: "ci", host: "runner", pid, operation: "up", startedAt: "2026-12-01T09:59:59.000Z", alive: true });

describe("dashboard views", () => {
  const events: ProgressEvent[] = [{ kind: "start", at: start.startedAt, run: start }, stack(0, "a", "running", 0), stack(10, "a", "succeeded", 10), stack(10, "b", "running", 0), stack(10, "c", "running", 0), stack(30, "b", "running", 20, "creating Deployment")];

  it("shows a run whose process holds the lock as running, with queued, running and finished stacks and the current step", () => {
    const view = runView({ events, skipped: 0 }, holder(42), needs, new Date(at(31)))!;
    expect(view.state).to.equal("running");
    expect(view.stacks.map((s) => [s.stack, s.state])).to.deep.equal([["a", "succeeded"], ["b", "running"], ["c", "running"]]);
    expect(view.stacks.find((s) => s.stack === "b")!.detail).to.equal("creating Deployment");
    expect(view.criticalPath).to.deep.equal(["a", "b"]);
  });

  it("shows a run cut short as interrupted once its process no longer holds the lock", () => {
    for (const lock of [undefined, holder(7), { ...holder(42), alive: false }]) {
      const view = runView({ events, skipped: 1 }, lock, needs, new Date(at(60)))!;
      expect(view.state).to.equal("interrupted");
      expect(view.stacks.map((s) => s.state)).to.deep.equal(["succeeded", "interrupted", "interrupted"]);
      expect(view.skippedLines).to.equal(1);
    }
  });

  it("takes each stack's result and skip reason from the end event", () => {
    const end: ProgressEvent = { kind: "end", at: at(40), status: "failed", durationMs: 40000, stacks: [{ stack: "a", status: "failed", durationMs: 10000, reason: "timeout" }, { stack: "b", status: "skipped", durationMs: 0, reason: "dependency a failed" }] };
    const view = runView({ events: [events[0]!, stack(0, "a", "running", 0), end], skipped: 0 }, undefined, needs, new Date(at(60)))!;
    expect(view.state).to.equal("failed");
    expect(view.stacks.map((s) => [s.stack, s.state, s.detail ?? ""])).to.deep.equal([["a", "failed", "timeout"], ["b", "skipped", "dependency a failed"], ["c", "queued", ""]]);
  });

  it("dates drift from the first check of the unbroken drifted streak", () => {
    const check = (day: number, state: "clean" | "drift"): DriftEntry => ({ env: "dev", checkedAt: `2026-12-0${day}T00:00:00.000Z`, stacks: [{ stack: "a", state, drifted: state === "drift" ? ["Deployment web (update)"] : [], pending: 0 }] });
    expect(driftOf([check(1, "drift"), check(2, "clean"), check(3, "drift"), check(4, "drift")], "a")).to.deep.equal({ state: "drift", firstSeen: "2026-12-03T00:00:00.000Z", resources: ["Deployment web (update)"] });
    expect(driftOf([check(1, "drift"), check(2, "clean")], "a")).to.deep.equal({ state: "clean" });
    expect(driftOf([], "a")).to.deep.equal({ state: "unknown" });
  });

  const promotion = (id: string, source: string, target: string, day: number, result: PromotionEntry["result"], approved = true): PromotionEntry => ({
    id,
    source,
    target,
    startedAt: `2026-12-0${day}T12:00:00.000Z`,
    result,
    gates: [{ gate: "approval", passed: approved, reason: approved ? "approved by ana" : "needs --approve" }],
    stacks: result === "promoted" ? [{ stack: `ingress-${target}`, charts: { "ingress-nginx": `4.1${day}.0` } }] : [],
  });

  it("orders stages from source to target and shows release, awaited approval and rollbacks", () => {
    const view = promotionsView(["prod", "dev", "staging"], [promotion("p1", "dev", "staging", 1, "promoted"), promotion("p2", "staging", "prod", 2, "refused", false), promotion("p3", "dev", "staging", 3, "rolled-back")]);
    expect(view.stages.map((s) => s.env)).to.deep.equal(["dev", "staging", "prod"]);
    expect(view.stages[1]!.release).to.deep.equal({ "ingress-staging": { "ingress-nginx": "4.11.0" } });
    expect(view.stages.map((s) => s.awaitingApproval)).to.deep.equal([false, false, true]);
    expect(view.rollbacks.map((p) => p.id)).to.deep.equal(["p3"]);
  });

  it("computes the DORA four and per-stack median and p95 within the window", () => {
    const run = (id: string, day: number, status: "succeeded" | "failed", ms: number, extra: Partial<RunRecord> = {}): RunRecord => ({
      id,
      env: "dev",
      operation: "up",
      startedAt: `2026-12-0${day}T10:00:00.000Z`,
      finishedAt: `2026-12-0${day}T11:00:00.000Z`,
      durationMs: 3600000,
      user: "ci",
      host: "h",
      status,
      stacks: [{ stack: { name: "a" } as never, operation: "up", outcome: status === "succeeded" ? { status, changes: {} as never } : { status, error: "timeout\nmore" }, durationMs: ms, attempts: 1, notes: [] }],
      ...extra,
    });
    const records = [run("1", 1, "succeeded", 10), run("2", 2, "failed", 20), run("3", 3, "succeeded", 30), run("0", 1, "succeeded", 99, { startedAt: "2026-10-01T10:00:00.000Z" })];
    const t = trends(records, [], new Date("2026-12-05T00:00:00.000Z"), 10);
    expect(t.deploymentsPerDay).to.equal(0.2);
    expect(t.changeFailureRate).to.equal(1 / 3);
    expect(t.timeToRestoreMs).to.equal(24 * 3600 * 1000);
    expect(t.stacks).to.deep.equal([{ stack: "a", runs: 3, medianMs: 20, p95Ms: 30 }]);
    expect(t.topFailures.map((f) => [f.error, f.count])).to.deep.equal([["timeout", 1]]);
  });
});
