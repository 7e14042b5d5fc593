import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterDrift, afterPromotion, afterRun, announcingApproval } from "../../../orchestrator/cli/output/aftermath";
import { openJournal } from "../../../orchestrator/history/journal";
import { fileHistory, HistoryStore } from "../../../orchestrator/history/store";
import { loopbackServer, type LoopbackServer } from "../../support/loopback-server";
import { sampleRuns } from "../../support/sample-history";

const corpus = path.resolve(__dirname, "../../fixtures/environments");
const TOKEN = "SECRET-aftermath-5d1e";

describe("after a command: journal and notify", function () {
  this.timeout(30_000);
  let server: LoopbackServer;
  let dataDir: string;
  let workspace: Parameters<typeof afterRun>[0];
  let stderr: string[];
  const write = process.stderr.write.bind(process.stderr);

  beforeEach(async () => {
    server = await loopbackServer(() => ({ status: 200 }));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "aftermath-"));
    workspace = { root: path.resolve(__dirname, "../../.."), dataDir, history: fileHistory(new HistoryStore(path.join(dataDir, "history", "runs.jsonl"))), environments: { dir: corpus } };
    process.env.PLATFORM_SECRET_opsSlackWebhook = `${server.url}/slack/${TOKEN}`;
    process.env.PLATFORM_SECRET_opsWebhookUrl = `${server.url}/hook?token=${TOKEN}`;
    stderr = [];
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true)) as typeof process.stderr.write;
  });
  afterEach(async () => {
    process.stderr.write = write;
    delete process.env.PLATFORM_SECRET_opsSlackWebhook;
    delete process.env.PLATFORM_SECRET_opsWebhookUrl;
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const bodies = () => server.requests.filter((r) => r.url.startsWith("/hook")).map((r) => JSON.parse(r.body) as { event: string; env: string; report: string });

  it("tells both destinations of a failed run, with the path of a report written for it", async () => {
    const runs = sampleRuns("notify");
    for (const run of runs.slice(0, 5)) await workspace.history.append(run);
    await afterRun(workspace, runs[4]);
    expect(server.requests.map((r) => r.url.split("/")[1]!.split("?")[0])).to.have.members(["slack", "hook"]);
    const [body] = bodies();
    expect(body).to.deep.include({ event: "run-failed", env: "notify", report: path.join(dataDir, "reports", "notify.html") });
    expect(fs.readFileSync(body!.report, "utf8")).to.include("Platform run report");
    expect(openJournal(path.join(dataDir, "history")).deliveries.readAll().map((d) => d.delivered)).to.deep.equal([true, true]);
    expect(stderr.join("") + server.requests.map((r) => r.body).join("")).not.to.include(TOKEN);
  });

  it("journals a drift check and tells of the drift; a clean check is journaled and told to nobody", async () => {
    const stack = (name: string, drifted: boolean) => ({
      stack: name,
      drift: drifted ? [{ urn: "u", type: "kubernetes:apps/v1:Deployment", name: "metrics-server", op: "update", properties: [{ path: "spec.replicas", kind: "update", old: 2, new: 3 }] }] : [],
      pending: [],
      durationMs: 5,
    });
    await afterDrift(workspace, { env: "notify", checkedAt: "2026-11-27T10:00:00.000Z", stacks: [stack("foundation-notify", true)] }, { env: "notify", checkedAt: "2026-11-27T10:05:00.000Z", stacks: [stack("foundation-notify", false)] });
    expect(bodies().map((b) => b.event)).to.deep.equal(["drift-found"]);
    const journaled = openJournal(path.join(dataDir, "history")).drift.readAll();
    expect(journaled.map((d) => d.stacks[0]!.state)).to.deep.equal(["drift", "clean"]);
    expect(JSON.stringify(journaled)).not.to.include("spec.replicas");
  });

  it("journals a promotion and leaves out events the environment does not ask for", async () => {
    const report = { id: "p-9", source: "dev", target: "notify", startedAt: "2026-11-27T10:00:00.000Z", result: "promoted" as const, approver: "bob@example.com", gates: [], stacks: [], preview: {}, applied: {} };
    await afterPromotion(workspace, report, "/tmp/p-9.md");
    expect(openJournal(path.join(dataDir, "history")).promotions.readAll()).to.deep.equal([{ id: "p-9", source: "dev", target: "notify", startedAt: report.startedAt, result: "promoted", approver: "bob@example.com", gates: [], stacks: [], changelog: "/tmp/p-9.md" }]);
    // notify.yaml sends run and drift events only.
    expect(server.requests).to.have.length(0);
    const approve = announcingApproval(workspace, "dev", "notify", async () => ({ approved: false }), false);
    expect(await approve("promote dev -> notify: foundation-notify")).to.deep.equal({ approved: false });
    expect(server.requests).to.have.length(0);
  });
});
