import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { openJournal } from "../../../orchestrator/history/journal";
import { fileJournals } from "../../../orchestrator/history/progress-journal";
import { fileHistory, HistoryStore } from "../../../orchestrator/history/store";
import type { RunStart } from "../../../orchestrator/model/run-record";
import { PreflightError } from "../../../orchestrator/model/preflight-error";
import { DashboardData } from "../../../orchestrator/report/dashboard/dashboard-sources";
import { CONTENT_SECURITY_POLICY } from "../../../orchestrator/report/dashboard/guards";
import { serveDashboard, type RunningDashboard } from "../../../orchestrator/report/dashboard/server";
import { journaledView } from "../../../orchestrator/run/journaled-progress";

const ROOT = path.resolve(__dirname, "../../..");
const PAGE = path.join(ROOT, "orchestrator", "report", "dashboard", "page");
const LIBRARY = path.join(ROOT, "node_modules", "htm", "preact", "standalone.module.js");
const TOKEN = "correct horse battery staple";
const CANARY = "canary-s3cr3t-9f2c";
const HOSTILE = "<script>alert(1)</script>";

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

function request(url: string, options: { path: string; host?: string; headers?: Record<string, string>; method?: string; body?: string }): Promise<Reply> {
  const target = new URL(options.path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname, method: options.method ?? "GET", headers: { ...(options.host ? { host: options.host } : {}), ...options.headers } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("dashboard server", function () {
  this.timeout(20000);
  let dir: string;
  let dashboard: RunningDashboard;
  let url: string;
  const bearer = { authorization: `Bearer ${TOKEN}` };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-"));
    const progress = fileJournals(path.join(dir, "progress"));
    const start: RunStart = { kind: "start", id: "2026-12-01T10-00-00-000Z-aaaa", env: "dev", operation: "up", stacks: ["dev-foundation", HOSTILE], startedAt: "2026-12-01T10:00:00.000Z", user: "ci", host: "nowhere", pid: 1 };
    const writer = await progress.open(start);
    const view = journaledView({ update() {}, note() {}, close() {} }, writer, [CANARY]);
    view.update({ stack: HOSTILE, state: "failed", elapsedMs: 10, resourcesDone: 0, detail: `password ${CANARY} refused` });
    view.note(`${HOSTILE}: token ${CANARY}`);
    fs.appendFileSync(path.join(dir, "progress", "dev", `${start.id}.jsonl`), "{torn line\n");
    const data = new DashboardData({
      progress,
      history: fileHistory(new HistoryStore(path.join(dir, "runs.jsonl"))),
      journal: openJournal(dir),
      locks: { holder: async () => undefined },
      only: ["dev"],
    });
    dashboard = await serveDashboard(data, { host: "127.0.0.1", port: 0, token: TOKEN, pageDir: PAGE, pageLibrary: LIBRARY });
    url = dashboard.url;
  });
  after(async () => {
    await dashboard?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("answers a request without the token, or with a wrong one, with 401 and an empty body", async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: "Bearer wrong" }, { cookie: "platform_dashboard=wrong" }];
    for (const headers of attempts) {
      const reply = await request(url, { path: "/api/overview", headers });
      expect([reply.status, reply.body]).to.deep.equal([401, ""]);
    }
    expect((await request(url, { path: "/api/overview", headers: bearer })).status).to.equal(200);
  });

  it("takes the token once through the session form and then serves with its cookie", async () => {
    const wrong = await request(url, { path: "/session", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: "nope" }) });
    expect([wrong.status, wrong.body, wrong.headers["set-cookie"]]).to.deep.equal([401, "", undefined]);
    const right = await request(url, { path: "/session", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: TOKEN }) });
    const cookie = right.headers["set-cookie"]![0]!.split(";")[0]!;
    expect(right.headers["set-cookie"]![0]).to.match(/HttpOnly/).and.match(/SameSite=Strict/);
    expect((await request(url, { path: "/api/overview", headers: { cookie } })).status).to.equal(200);
  });

  it("refuses a Host header it does not serve (DNS rebinding) with 421, even with the token", async () => {
    const port = new URL(url).port;
    const rebound = await request(url, { path: "/api/overview", host: `attacker.example:${port}`, headers: bearer });
    expect([rebound.status, rebound.body]).to.deep.equal([421, ""]);
    expect((await request(url, { path: "/api/overview", host: `localhost:${port}`, headers: bearer })).status).to.equal(200);
  });

  it("sends a CSP without inline script on the page and on refusals, and the page has no inline script", async () => {
    const page = await request(url, { path: "/" });
    const refused = await request(url, { path: "/api/overview" });
    for (const reply of [page, refused]) expect(reply.headers["content-security-policy"]).to.equal(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).to.match(/script-src 'self'(;|$)/).and.not.match(/unsafe-inline|unsafe-eval/);
    const scripts = [...page.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).to.be.greaterThan(0);
    for (const [, attributes, content] of scripts) expect({ attributes: /\bsrc=/.test(attributes!), content: content!.trim() }).to.deep.equal({ attributes: true, content: "" });
  });

  it("serves a hostile stack name only as JSON text that a browser will not sniff into HTML", async () => {
    const reply = await request(url, { path: "/api/overview", headers: bearer });
    expect(reply.headers["content-type"]).to.match(/^application\/json/);
    expect(reply.headers["x-content-type-options"]).to.equal("nosniff");
    expect(reply.body).to.contain(JSON.stringify(HOSTILE).slice(1, -1));
    const notFound = await request(url, { path: `/${encodeURIComponent(HOSTILE)}`, headers: bearer });
    expect([notFound.status, notFound.body]).to.deep.equal([404, ""]);
  });

  it("shows a journal cut short as interrupted, and counts its line that does not parse", async () => {
    const overview = JSON.parse((await request(url, { path: "/api/overview", headers: bearer })).body) as { runs: Array<{ state: string; stacks: Array<{ stack: string; state: string }> }>; skippedLines: number };
    expect(overview.runs.map((r) => r.state)).to.deep.equal(["interrupted"]);
    expect(overview.runs[0]!.stacks.map((s) => s.state)).to.deep.equal(["interrupted", "failed"]);
    expect(overview.skippedLines).to.equal(1);
  });

  it("serves the secret canary in no response", async () => {
    const paths = ["/", "/app.js", "/api/overview", "/api/promotions", "/api/trends", "/api/runs/dev/2026-12-01T10-00-00-000Z-aaaa"];
    for (const p of paths) {
      const reply = await request(url, { path: p, headers: bearer });
      expect(reply.status, p).to.equal(200);
      expect(reply.body, p).not.to.contain(CANARY);
    }
  });

  it("refuses to listen on another address without a token", async () => {
    const data = new DashboardData({ progress: fileJournals(dir), history: fileHistory(new HistoryStore(path.join(dir, "x.jsonl"))), journal: openJournal(dir), locks: { holder: async () => undefined } });
    const error = await serveDashboard(data, { host: "0.0.0.0", port: 0, pageDir: PAGE, pageLibrary: LIBRARY }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).to.be.instanceOf(PreflightError);
    expect(error!.message).to.contain("PLATFORM_DASHBOARD_TOKEN");
  });
});
