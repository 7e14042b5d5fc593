import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openJournal } from "../../../orchestrator/history/journal";
import { historyCharts, renderChart } from "../../../orchestrator/report/charts";
import { renderReportHtml } from "../../../orchestrator/report/html";
import { readReportInputs } from "../../../orchestrator/report/inputs";
import { buildReportModel } from "../../../orchestrator/report/model";
import { niceTicks, renderTimeline } from "../../../orchestrator/report/timeline";
import type { RunStart } from "../../../orchestrator/model/run-record";
import { sampleInputs, sampleRuns } from "../../support/sample-history";

describe("run report model", () => {
  const model = buildReportModel(sampleInputs(), "environment staging");

  it("shows each stack's last result, drift state and promoted release", () => {
    const [env] = model.environments;
    expect(env!.stacks.map((s) => s.stack)).to.include.members(["foundation-staging", "data-staging"]);
    const ingress = env!.stacks.find((s) => s.stack === "ingress-staging")!;
    expect(ingress).to.deep.include({ state: "succeeded", operation: "up", drift: "drift" });
    expect(ingress.release).to.deep.include({ source: "dev", promotion: "p-2" });
    expect(env!.stacks.find((s) => s.stack === "mesh-staging")!.drift).to.equal("clean");
    expect(env!.edges).to.deep.include(["foundation-staging", "ingress-staging"]);
  });

  it("draws the recorded cost estimates over time, each layer's share and the infrastructure rest, naming the price list", async () => {
    const entry = (at: string, observability: number, total: number) => ({ env: "staging", at, currency: "USD", prices: "list prices of 2025-01-15", total, perLayer: { ingress: 10, observability }, components: [] });
    const withCosts = buildReportModel({ ...sampleInputs(), costs: [entry("2026-12-01T00:00:00Z", 50, 400), entry("2026-12-02T00:00:00Z", 80, 430)] }, "environment staging");
    expect(withCosts.costs.filter((p) => p.at === "2026-12-02T00:00:00Z").map((p) => [p.layer, p.monthly])).to.deep.equal([["ingress", 10], ["observability", 80], ["infrastructure", 340]]);
    const chart = historyCharts(withCosts).find((c) => c.id === "cost")!;
    expect(chart.title).to.equal("Monthly cost estimate per layer (list prices of 2025-01-15; an estimate, not a bill)");
    expect(await renderChart(chart)).to.match(/^<svg/).and.contain("observability");
    expect(historyCharts(model).map((c) => c.id), "no estimates, no cost chart").to.not.include("cost");
  });

  it("draws the last run as bars from each stack's start, marking the longest dependency chain", () => {
    const timeline = model.timeline!;
    expect(timeline.runId).to.equal("sample-staging-6");
    expect(timeline.bars).to.have.length(7);
    const bar = (name: string) => timeline.bars.find((b) => b.stack === `${name}-staging`)!;
    expect(bar("ingress").startMs).to.be.at.least(bar("foundation").endMs);
    expect(timeline.criticalPath).to.deep.equal(["foundation-staging", "observability-staging", "security-staging"]);
    expect(timeline.bars.filter((b) => b.critical).map((b) => b.stack)).to.have.members(timeline.criticalPath);
    expect(timeline.serialMs).to.be.above(timeline.wallMs);
    const svg = renderTimeline(timeline);
    expect(svg.match(/<g class="bar critical"/g)).to.have.length(3);
    expect(svg.match(/<g class="bar/g)).to.have.length(7);
  });

  it("counts the history: success rate, durations per stack, the most frequent failure", () => {
    expect(model.history.runs).to.equal(7);
    expect(model.history.successRate).to.be.closeTo(6 / 7, 1e-9);
    expect(model.history.topFailures[0]).to.deep.include({ count: 1, stacks: ["observability-staging"] });
    expect(model.history.points.filter((p) => p.stack === "foundation-staging")).to.have.length(7);
    expect(historyCharts(model).map((c) => c.id)).to.deep.equal(["durations", "success-rate", "failures"]);
  });

  it("keeps undelivered notifications and escapes text from history in the page", () => {
    expect(model.failedDeliveries).to.have.length(1);
    const hostile = buildReportModel({ ...sampleInputs(), deliveries: [{ ...sampleInputs().deliveries[0]!, error: "<script>alert(1)</script>" }] }, "x");
    const html = renderReportHtml(hostile, { graphs: new Map(), charts: [] });
    expect(html).to.include("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.to.include("<script>");
  });

  it("marks stacks a killed run touched as interrupted, until a later result of theirs", () => {
    const killed: RunStart = { kind: "start", id: "killed-1", env: "staging", operation: "up", stacks: ["data-staging"], startedAt: "2026-11-27T09:00:00.000Z", user: "ci", host: "runner-2", pid: 4242 };
    const stackOf = (starts: RunStart[]) => buildReportModel({ ...sampleInputs(), starts }, "x").environments[0]!.stacks.find((s) => s.stack === "data-staging")!;
    const data = stackOf([killed]);
    expect(data).to.deep.include({ state: "interrupted", operation: "up", at: killed.startedAt, drift: "clean" });
    expect(data.error).to.equal("run killed-1 by ci@runner-2 ended before it recorded a result");
    expect(stackOf([{ ...killed, startedAt: "2026-11-20T08:00:00.000Z" }]).state).to.equal("succeeded");
  });

  it("marks the stacks of a run still holding its environment's lock as running, with who and since when", () => {
    const live: RunStart = { kind: "start", id: "live-1", env: "staging", operation: "up", stacks: ["data-staging"], startedAt: "2026-11-27T09:00:00.000Z", user: "ci", host: "runner-2", pid: 4242 };
    const holder = { pid: 4242, host: "runner-2", user: "ci", operation: "up", startedAt: "2026-11-27T08:59:59.000Z" };
    const stackOf = (alive: boolean) =>
      buildReportModel({ ...sampleInputs(), starts: [live], lockHolders: { staging: { ...holder, alive } } }, "x").environments[0]!.stacks.find((s) => s.stack === "data-staging")!;
    expect(stackOf(true)).to.deep.include({ state: "running", operation: "up", at: live.startedAt, note: "run live-1 by ci@runner-2 (pid 4242), still holding the environment's lock" });
    expect(stackOf(true).error).to.equal(undefined);
    expect(stackOf(false)).to.deep.include({ state: "interrupted", error: "run live-1 by ci@runner-2 ended before it recorded a result" });
    const html = renderReportHtml(buildReportModel({ ...sampleInputs(), starts: [live], lockHolders: { staging: { ...holder, alive: true } } }, "x"), { graphs: new Map(), charts: [] });
    expect(html).to.include("still holding the environment&#39;s lock");
  });

  it("includes an environment whose only run has no record yet, next to environments with records", async () => {
    const first: RunStart = { kind: "start", id: "first-1", env: "dev", operation: "up", stacks: ["foundation-dev"], startedAt: "2026-11-27T09:00:00.000Z", user: "ci", host: "runner-2", pid: 4242 };
    const journalDir = fs.mkdtempSync(path.join(os.tmpdir(), "report-journal-"));
    try {
      const history = { read: async () => sampleRuns("staging"), starts: async () => [first] };
      const inputs = await readReportInputs({ history, journal: openJournal(journalDir) });
      expect(inputs.environments.map((e) => e.name)).to.have.members(["dev", "staging"]);
      const dev = buildReportModel(inputs, "all environments").environments.find((e) => e.env === "dev")!;
      expect(dev.stacks.find((s) => s.stack === "foundation-dev")).to.deep.include({ state: "interrupted", operation: "up" });
    } finally {
      fs.rmSync(journalDir, { recursive: true, force: true });
    }
  });

  it("picks round tick steps for the time axis", () => {
    expect(niceTicks(130_000)).to.deep.equal([0, 50_000, 100_000]);
    expect(niceTicks(9_000).slice(0, 3)).to.deep.equal([0, 2_000, 4_000]);
  });
});
