import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import puppeteer, { type Browser } from "puppeteer-core";
import { openJournal } from "../../../orchestrator/history/journal";
import { fileJournals, type ProgressWriter } from "../../../orchestrator/history/progress-journal";
import { fileHistory, HistoryStore } from "../../../orchestrator/history/store";
import type { RunStart } from "../../../orchestrator/model/run-record";
import { DashboardData } from "../../../orchestrator/report/dashboard/dashboard-sources";
import { serveDashboard, type RunningDashboard } from "../../../orchestrator/report/dashboard/server";
import { chromiumPath } from "../../../orchestrator/report/screenshot";

const ROOT = path.resolve(__dirname, "../../..");
const HOSTILE = `<img src=x onerror="window.__injected=1">`;

describe("dashboard page in Chromium", function () {
  this.timeout(60000);
  let dir: string;
  let dashboard: RunningDashboard;
  let browser: Browser;
  let writer: ProgressWriter;
  const start: RunStart = { kind: "start", id: "2026-12-05T10-00-00-000Z-live", env: "dev", operation: "up", stacks: ["foundation-dev", "ingress-dev"], startedAt: new Date().toISOString(), user: "ci", host: os.hostname(), pid: process.pid };

  before(async function () {
    const executablePath = chromiumPath();
    if (!executablePath) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-page-"));
    const progress = fileJournals(path.join(dir, "progress"));
    writer = await progress.open(start);
    writer.write({ kind: "stack", at: new Date().toISOString(), progress: { stack: "foundation-dev", state: "running", elapsedMs: 0, resourcesDone: 0, detail: HOSTILE } });
    const holder = { user: "ci", host: os.hostname(), pid: process.pid, operation: "up", startedAt: new Date(Date.parse(start.startedAt) - 1000).toISOString(), alive: true };
    const data = new DashboardData({ progress, history: fileHistory(new HistoryStore(path.join(dir, "runs.jsonl"))), journal: openJournal(dir), locks: { holder: async () => holder }, only: ["dev"] });
    dashboard = await serveDashboard(data, { host: "127.0.0.1", port: 0, pageDir: path.join(ROOT, "orchestrator/report/dashboard/page"), pageLibrary: path.join(ROOT, "node_modules/htm/preact/standalone.module.js"), followMs: 200 });
    browser = await puppeteer.launch({ executablePath: executablePath!, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  });
  after(async () => {
    await browser?.close();
    await dashboard?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("shows a stack go from running to succeeded without a reload, a hostile name as text, and no console error", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("console", (message) => void (message.type() === "error" && errors.push(message.text())));
    page.on("pageerror", (error) => void errors.push(String(error)));
    await page.setViewport({ width: 1200, height: 900 });
    await page.goto(dashboard.url);
    const cell = `section.run[data-run="${start.id}"] tr[data-stack="foundation-dev"] td.stack-state`;
    await page.waitForFunction((selector: string) => document.querySelector(selector)?.textContent === "running", {}, cell);
    expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).to.equal(undefined);
    expect(await page.$eval(`section.run[data-run="${start.id}"] tr[data-stack="foundation-dev"]`, (row) => row.textContent)).to.contain(HOSTILE);
    const loads = await page.evaluate(() => performance.getEntriesByType("navigation").length);
    writer.write({ kind: "stack", at: new Date().toISOString(), progress: { stack: "foundation-dev", state: "succeeded", elapsedMs: 1500, resourcesDone: 3 } });
    writer.write({ kind: "stack", at: new Date().toISOString(), progress: { stack: "ingress-dev", state: "running", elapsedMs: 0, resourcesDone: 0, detail: "installing ingress-nginx" } });
    await page.waitForFunction((selector: string) => document.querySelector(selector)?.textContent === "succeeded", { timeout: 10000 }, cell);
    expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).to.equal(loads);
    fs.mkdirSync(path.join(ROOT, "docs"), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, "docs", "dashboard-live-run.png") as `${string}.png`, fullPage: true });
    expect(errors).to.deep.equal([]);
  });
});
