import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../../environments/config-error";
import { loadEnvironment } from "../../../environments/load";
import type { NotificationSettings } from "../../../environments/notifications";
import { JsonLines } from "../../../orchestrator/history/jsonl";
import type { DeliveryEntry } from "../../../orchestrator/history/journal";
import { awaitingApprovalEvent, driftEvents, promotionEvents, runEvents, type NotificationEvent } from "../../../orchestrator/notify/events";
import { notify } from "../../../orchestrator/notify/notifier";
import type { PromotionReport } from "../../../orchestrator/model/promotion-report";
import { loopbackServer, type LoopbackServer } from "../../support/loopback-server";
import { sampleRuns } from "../../support/sample-history";

const corpus = path.resolve(__dirname, "../../fixtures/environments");
// Secret parts of the webhook URLs: they must appear in no payload, message or history line.
const SLACK_TOKEN = "xoxb-SLACK-SECRET-7f3a9c";
const HOOK_TOKEN = "hook-SECRET-91be22";

const promotion = (result: PromotionReport["result"], extra: Partial<PromotionReport> = {}): PromotionReport => ({
  id: "promo-1",
  source: "staging",
  target: "prod",
  startedAt: "2026-11-27T10:00:00.000Z",
  result,
  gates: [{ gate: "source-drift-free", passed: result !== "refused", reason: result === "refused" ? "ingress-staging has drift" : "no drift" }],
  stacks: [{ layer: "ingress", source: "ingress-staging", target: "ingress-prod", before: { components: {} }, after: { components: {} }, changes: [{ component: "emissary", field: "chartVersion", from: "8.9.0", to: "8.9.1" }] }],
  preview: {},
  applied: {},
  ...extra,
});

describe("notification events", () => {
  const runs = sampleRuns("staging");

  it("tells of a failed run with its failed stacks, the first error and the skipped dependents", () => {
    const [event] = runEvents(runs[4]!, runs.slice(0, 4));
    expect(event).to.deep.include({ kind: "run-failed", env: "staging", result: "up failed", stacks: ["observability-staging"], subject: "sample-staging-4" });
    expect(event!.reason).to.match(/^observability-staging: timed out waiting for Deployment observability\/loki .* \(skipped: gitops-staging, security-staging, mesh-staging, data-staging\)$/);
  });

  it("tells of a recovery only for stacks whose previous run failed", () => {
    expect(runEvents(runs[5]!, runs.slice(0, 5))).to.deep.equal([
      { kind: "run-recovered", env: "staging", subject: "sample-staging-5", at: runs[5]!.finishedAt, result: "up succeeded", stacks: ["observability-staging"], reason: "succeeded after a failed up" },
    ]);
    expect(runEvents(runs[6]!, runs.slice(0, 6))).to.deep.equal([]);
  });

  it("says nothing about previews, which change nothing", () => {
    expect(runEvents({ ...runs[4]!, operation: "preview" }, runs.slice(0, 4))).to.deep.equal([]);
  });

  it("tells of drift with the resources changed outside Pulumi", () => {
    const report = {
      env: "prod",
      checkedAt: "2026-11-27T10:00:00.000Z",
      stacks: [
        { stack: "ingress-prod", drift: [{ urn: "u", type: "kubernetes:apps/v1:Deployment", name: "emissary", op: "update", properties: [] }], pending: [], durationMs: 1 },
        { stack: "data-prod", drift: [], pending: [], durationMs: 1 },
      ],
    };
    expect(driftEvents(report)).to.deep.equal([
      { kind: "drift-found", env: "prod", subject: "drift-prod-2026-11-27T10:00:00.000Z", result: "drift", stacks: ["ingress-prod"], reason: "changed outside Pulumi: Deployment emissary", at: report.checkedAt },
    ]);
    expect(driftEvents({ ...report, stacks: [report.stacks[1]!] })).to.deep.equal([]);
  });

  it("tells of promotions promoted, refused by a gate, rolled back, and awaiting approval", () => {
    expect(promotionEvents(promotion("promoted", { approver: "alice@example.com" }), "t")[0]).to.deep.include({ kind: "promoted", env: "prod", stacks: ["ingress-prod"], reason: "from staging, approved by alice@example.com" });
    expect(promotionEvents(promotion("refused"), "t")[0]).to.deep.include({ kind: "promotion-refused", reason: "from staging: source-drift-free gate failed: ingress-staging has drift" });
    expect(promotionEvents(promotion("rolled-back", { rollback: { stacks: ["ingress-prod"], succeeded: true, reason: "verification failed: emissary not available" } }), "t")[0]).to.deep.include({
      kind: "promotion-rolled-back",
      reason: "from staging: verification failed: emissary not available",
    });
    expect(promotionEvents(promotion("nothing-to-promote"))).to.deep.equal([]);
    expect(awaitingApprovalEvent("staging", "prod", "promote staging -> prod: ingress-prod", "a-1").reason).to.include("--approve --approver");
  });
});

describe("notification settings in environment files", () => {
  it("reads destinations as secret config names", () => {
    expect(loadEnvironment("notify", { dir: corpus }).notifications).to.deep.equal({
      slack: ["opsSlackWebhook"],
      webhooks: ["opsWebhookUrl"],
      events: ["run-failed", "run-recovered", "drift-found"],
      timeoutSeconds: 2,
      retries: 2,
    });
    expect(loadEnvironment("valid", { dir: corpus }).notifications).to.equal(undefined);
  });

  it("rejects a URL written in plain YAML, naming the file, the field and the fix", () => {
    let error: unknown;
    try {
      loadEnvironment("notify-plain-url", { dir: corpus });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(ConfigError);
    const issue = (error as ConfigError).issues.find((i) => i.path === "notifications.slack.0");
    expect(issue?.file).to.match(/notify-plain-url\.yaml$/);
    expect(issue?.message).to.match(/never the URL itself; store it with `pulumi config set --secret <name> --stack foundation-<env>`/);
  });
});

describe("notification delivery", function () {
  this.timeout(20_000);
  let slack: LoopbackServer;
  let hook: LoopbackServer;
  let dir: string;
  let output: string[];

  const settings = (extra: Partial<NotificationSettings> = {}): NotificationSettings => ({ slack: ["opsSlackWebhook"], webhooks: ["opsWebhookUrl"], timeoutSeconds: 2, retries: 2, ...extra });
  const context = (s: NotificationSettings, secrets: Record<string, string>) => {
    const deliveries = new JsonLines<DeliveryEntry>(path.join(dir, "notifications.jsonl"));
    return { deliveries, ctx: { settings: s, lookup: async (name: string) => secrets[name], deliveries, reportLink: async () => "/work/.platform/reports/staging.html", say: (line: string) => output.push(line) } };
  };
  const failedRun = (): NotificationEvent[] => {
    const runs = sampleRuns("staging");
    return runEvents(runs[4]!, runs.slice(0, 4));
  };
  const everything = () => [...slack.requests, ...hook.requests].map((r) => JSON.stringify(r)).join("\n") + output.join("\n") + fs.readFileSync(path.join(dir, "notifications.jsonl"), "utf8");

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "notify-"));
    output = [];
  });
  afterEach(async () => {
    await slack?.close();
    await hook?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("sends Slack and JSON webhook messages with the environment, stacks, result, reason and report, and no secret", async () => {
    slack = await loopbackServer(() => ({ status: 200, body: "ok" }));
    hook = await loopbackServer(() => ({ status: 204 }));
    const secrets = { opsSlackWebhook: `${slack.url}/services/${SLACK_TOKEN}`, opsWebhookUrl: `${hook.url}/platform?token=${HOOK_TOKEN}` };
    const { deliveries, ctx } = context(settings(), secrets);
    const sent = await notify(failedRun(), ctx);
    expect(sent.map((d) => [d.destination, d.delivered, d.attempts])).to.deep.equal([["opsSlackWebhook", true, 1], ["opsWebhookUrl", true, 1]]);

    const slackBody = JSON.parse(slack.requests[0]!.body) as { text: string; blocks: { text?: { text: string } }[] };
    expect(slack.requests[0]!.url).to.equal(`/services/${SLACK_TOKEN}`);
    expect(slackBody.text).to.match(/^Run failed in staging: up failed\. observability-staging: timed out .* Report: \/work\/\.platform\/reports\/staging\.html$/);
    expect(slackBody.blocks[0]!.text!.text).to.include("*Stacks:* observability-staging");

    const hookRequest = hook.requests[0]!;
    expect(hookRequest.headers["content-type"]).to.equal("application/json");
    const body = JSON.parse(hookRequest.body) as Record<string, unknown>;
    expect(body).to.deep.include({ schema: "platform-orchestrator/notification/v1", event: "run-failed", env: "staging", result: "up failed", stacks: ["observability-staging"], report: "/work/.platform/reports/staging.html", subject: "sample-staging-4" });
    expect(body.idempotencyKey).to.equal(hookRequest.headers["idempotency-key"]).and.to.match(/^[0-9a-f]{32}$/);

    for (const request of [...slack.requests, ...hook.requests]) {
      expect(request.body).not.to.include(SLACK_TOKEN);
      expect(request.body).not.to.include(HOOK_TOKEN);
      expect(request.body).not.to.include("127.0.0.1");
    }
    expect(deliveries.readAll()).to.have.length(2);
    expect(everything().replace(`"url":"/services/${SLACK_TOKEN}"`, "").replace(`"url":"/platform?token=${HOOK_TOKEN}"`, "")).not.to.match(new RegExp(`${SLACK_TOKEN}|${HOOK_TOKEN}`));
  });

  it("retries a failing webhook with backoff under one idempotency key", async () => {
    slack = await loopbackServer(() => ({ status: 200 }));
    hook = await loopbackServer((_request, index) => ({ status: index < 2 ? 503 : 200 }));
    const { ctx } = context(settings({ slack: [] }), { opsWebhookUrl: `${hook.url}/h?token=${HOOK_TOKEN}` });
    const [entry] = await notify(failedRun(), ctx);
    expect(entry).to.deep.include({ delivered: true, attempts: 3 });
    expect(new Set(hook.requests.map((r) => r.headers["idempotency-key"])).size).to.equal(1);
    expect(new Set(hook.requests.map((r) => r.body)).size).to.equal(1);
  });

  it("gives up on a webhook that does not answer within its timeout, notes it in history, and sends the rest", async () => {
    slack = await loopbackServer(() => ({ status: 200 }));
    // The webhook answers only when the test releases it, which it does only after notify has returned:
    // a notify that waited for the answer instead of its timeout would never return (the test then fails on mocha's timeout).
    hook = await loopbackServer(() => ({ status: 200, hold: true }));
    const { deliveries, ctx } = context(settings({ timeoutSeconds: 1 }), { opsSlackWebhook: `${slack.url}/services/${SLACK_TOKEN}`, opsWebhookUrl: `${hook.url}/h?token=${HOOK_TOKEN}` });
    const sent = await notify(failedRun(), ctx);
    expect(hook.answered(), "notify returned before the webhook answered").to.equal(0);
    // It hung up on the webhook rather than leaving the request open.
    expect((await hook.abandoned()).url).to.equal(`/h?token=${HOOK_TOKEN}`);
    hook.release();
    expect(hook.requests, "one attempt: the timeout is the whole budget, retries included").to.have.length(1);
    expect(sent.find((d) => d.destination === "opsSlackWebhook")).to.deep.include({ delivered: true });
    expect(deliveries.readAll().find((d) => d.destination === "opsWebhookUrl")).to.deep.include({ delivered: false, event: "run-failed", error: "no answer within 1000 ms" });
    expect(output.join("\n")).to.match(/notification run-failed to opsWebhookUrl failed after 1 attempt\(s\): no answer within 1000 ms \(noted in history; the run is not affected\)/);
    expect(everything().replace(/"url":"[^"]*"/g, "")).not.to.match(new RegExp(`${SLACK_TOKEN}|${HOOK_TOKEN}`));
  });

  it("retries a refused connection, then notes the failure without the URL", async () => {
    slack = await loopbackServer(() => ({ status: 200 }));
    hook = await loopbackServer(() => ({ status: 200 }));
    const closed = hook.url;
    await hook.close();
    const { ctx } = context(settings({ slack: [] }), { opsWebhookUrl: `${closed}/h?token=${HOOK_TOKEN}` });
    const [entry] = await notify(failedRun(), ctx);
    expect(entry).to.deep.include({ delivered: false, attempts: 3, error: "could not connect (ECONNREFUSED)" });
    expect(output.join("\n")).not.to.include(HOOK_TOKEN);
  });

  it("sends only the events the environment asks for, and says which secret config is missing", async () => {
    slack = await loopbackServer(() => ({ status: 200 }));
    hook = await loopbackServer(() => ({ status: 200 }));
    const { ctx } = context(settings({ events: ["drift-found"] }), { opsSlackWebhook: `${slack.url}/s` });
    expect(await notify(failedRun(), ctx)).to.deep.equal([]);
    expect(slack.requests).to.have.length(0);
    const { ctx: second } = context(settings(), { opsSlackWebhook: `${slack.url}/s` });
    await notify(failedRun(), second);
    expect(output).to.include("notifications: secret config opsWebhookUrl is not set; set it with `pulumi config set --secret opsWebhookUrl --stack foundation-staging`");
    expect(slack.requests).to.have.length(1);
  });
});
