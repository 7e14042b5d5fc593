import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { HistoryStore } from "../../../orchestrator/history/store";
import { openJournal } from "../../../orchestrator/history/journal";
import { pushMetrics } from "../../../orchestrator/metrics/push";
import { recoveries } from "../../../orchestrator/metrics/recovery";
import { metricsRegistry } from "../../../orchestrator/metrics/registry";
import { loopbackServer } from "../../support/loopback-server";
import { exposition, type Sample } from "../../support/prometheus-format";
import { sampleDrift, samplePromotions, sampleRuns } from "../../support/sample-history";

const root = path.resolve(__dirname, "../../..");
const inputs = () => ({ runs: sampleRuns("staging"), drift: sampleDrift("staging"), promotions: samplePromotions("dev", "staging") });
const value = (samples: readonly Sample[], name: string, labels: Record<string, string>) =>
  samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;

describe("Prometheus metrics", () => {
  it("exposes runs, durations, last success, drift, promotions and recovery in the text format", async () => {
    const { problems, samples } = exposition(await metricsRegistry(inputs()).metrics());
    expect(problems).to.deep.equal([]);
    expect(value(samples, "platform_runs_total", { env: "staging", operation: "up", result: "succeeded" })).to.equal(6);
    expect(value(samples, "platform_runs_total", { result: "failed" })).to.equal(1);
    expect(value(samples, "platform_stack_runs_total", { stack: "gitops-staging", result: "skipped" })).to.equal(1);
    expect(value(samples, "platform_stack_duration_seconds_count", { stack: "foundation-staging", operation: "up" })).to.equal(7);
    expect(value(samples, "platform_stack_duration_seconds_bucket", { stack: "observability-staging", le: "120" })).to.equal(6);
    expect(value(samples, "platform_stack_last_success_timestamp_seconds", { stack: "foundation-staging" })).to.be.above(Date.parse("2026-11-26T09:00:00Z") / 1000);
    expect(value(samples, "platform_stack_drift_state", { stack: "ingress-staging", state: "drift" })).to.equal(1);
    expect(value(samples, "platform_stack_drift_state", { stack: "ingress-staging", state: "clean" })).to.equal(0);
    expect(value(samples, "platform_promotions_total", { source: "dev", target: "staging", result: "refused" })).to.equal(1);
    expect(value(samples, "platform_stack_recovery_seconds_count", { stack: "observability-staging" })).to.equal(1);
  });

  it("exposes the last recorded cost estimate per environment and layer, the rest as infrastructure, summing to the estimate", async () => {
    const entry = (at: string, observability: number, total: number) => ({ env: "staging", at, currency: "USD", prices: "list prices of 2025-01-15", total, perLayer: { ingress: 10, observability }, components: [] });
    const { problems, samples } = exposition(await metricsRegistry({ ...inputs(), costs: [entry("2026-12-01T00:00:00Z", 50, 400), entry("2026-12-02T00:00:00Z", 80, 430)] }).metrics());
    expect(problems).to.deep.equal([]);
    const costs = samples.filter((s) => s.name === "platform_cost_monthly_estimate");
    expect(costs.map((s) => [s.labels.environment, s.labels.layer, s.value])).to.deep.equal([
      ["staging", "ingress", 10],
      ["staging", "observability", 80],
      ["staging", "infrastructure", 340],
    ]);
  });

  it("counts notification deliveries and flags stacks a killed run left unsettled", async () => {
    const delivery = { at: "2026-11-27T10:00:00.000Z", env: "staging", event: "run-failed", destination: "opsWebhookUrl", idempotencyKey: "k", attempts: 3 };
    const { problems, samples } = exposition(
      await metricsRegistry({
        ...inputs(),
        deliveries: [{ ...delivery, delivered: false, error: "HTTP 503" }, { ...delivery, delivered: true }, { ...delivery, delivered: true }],
        starts: [{ kind: "start", id: "killed", env: "staging", operation: "up", stacks: ["data-staging"], startedAt: "2026-11-27T09:00:00.000Z", user: "ci", host: "h", pid: 1 }],
      }).metrics(),
    );
    expect(problems).to.deep.equal([]);
    expect(value(samples, "platform_notifications_total", { destination: "opsWebhookUrl", result: "failed" })).to.equal(1);
    expect(value(samples, "platform_notifications_total", { destination: "opsWebhookUrl", result: "delivered" })).to.equal(2);
    expect(value(samples, "platform_stack_interrupted", { env: "staging", stack: "data-staging" })).to.equal(1);
  });

  it("counts a live run's stacks as running, not interrupted", async () => {
    const start = { kind: "start" as const, id: "live", env: "staging", operation: "up" as const, stacks: ["data-staging"], startedAt: "2026-11-27T09:00:00.000Z", user: "ci", host: "h", pid: 1 };
    const holder = { pid: 1, host: "h", user: "ci", operation: "up", startedAt: "2026-11-27T08:59:59.000Z" };
    const sampled = async (alive: boolean) => exposition(await metricsRegistry({ ...inputs(), starts: [start], lockHolders: { staging: { ...holder, alive } } }).metrics());
    const running = await sampled(true);
    expect(running.problems).to.deep.equal([]);
    expect(value(running.samples, "platform_stack_running", { env: "staging", stack: "data-staging" })).to.equal(1);
    expect(value(running.samples, "platform_stack_interrupted", { env: "staging", stack: "data-staging" })).to.equal(undefined);
    const dead = await sampled(false);
    expect(value(dead.samples, "platform_stack_running", { env: "staging", stack: "data-staging" })).to.equal(undefined);
    expect(value(dead.samples, "platform_stack_interrupted", { env: "staging", stack: "data-staging" })).to.equal(1);
  });

  it("measures recovery from the first failure of a streak to the end of the next success", () => {
    const [recovery] = recoveries(sampleRuns("staging"));
    expect(recovery).to.deep.include({ stack: "observability-staging" });
    expect(recovery!.failedAt).to.match(/^2026-11-24T09:00/);
    expect(recovery!.seconds).to.be.within(24 * 3600, 24 * 3600 + 120);
  });

  it("pushes the same text to a Pushgateway, replacing the environment's group", async () => {
    const server = await loopbackServer((request) => {
      const { problems } = exposition(request.body);
      return problems.length === 0 ? { status: 200 } : { status: 400, body: problems.join("\n") };
    });
    try {
      const registry = metricsRegistry(inputs());
      await pushMetrics(registry, server.url, "staging");
      expect(server.requests).to.have.length(1);
      const [request] = server.requests;
      expect(request).to.deep.include({ method: "PUT", url: "/metrics/job/platform_orchestrator/env/staging" });
      expect(request!.headers["content-type"]).to.match(/^text\/plain; version=0\.0\.4/);
      expect(request!.body).to.equal(await registry.metrics());
    } finally {
      await server.close();
    }
  });

  it("fails a push the gateway refuses, naming the gateway without its credentials", async () => {
    const server = await loopbackServer(() => ({ status: 500, body: "disk full" }));
    try {
      const url = server.url.replace("http://", "http://user:hunter22@");
      const error = await pushMetrics(metricsRegistry(inputs()), url, "staging").then(() => undefined, (e: Error) => e);
      expect(error?.message).to.match(/pushing metrics to http:\/\/127\.0\.0\.1:\d+\/ failed: push failed with status 500, disk full/);
      expect(error?.message).not.to.include("hunter22");
    } finally {
      await server.close();
    }
  });

  it("npm run metrics prints from a checkout's history and pushes with --pushgateway", async function () {
    this.timeout(60_000);
    const data = fs.mkdtempSync(path.join(os.tmpdir(), "metrics-"));
    const history = new HistoryStore(path.join(data, "history", "runs.jsonl"));
    for (const run of sampleRuns("staging")) history.append(run);
    for (const entry of sampleDrift("staging")) openJournal(path.join(data, "history")).drift.append(entry);
    const server = await loopbackServer((request) => ({ status: exposition(request.body).problems.length === 0 ? 200 : 400 }));
    const run = (...args: string[]) => promisify(execFile)(path.join(root, "tools/run"), [path.join(root, "orchestrator/cli/main.ts"), "metrics", ...args], { env: { ...process.env, PLATFORM_DATA: data } });
    try {
      const printed = await run("--env", "staging");
      expect(exposition(printed.stdout).problems).to.deep.equal([]);
      expect(printed.stdout).to.include('platform_stack_drift_state{env="staging",stack="ingress-staging",state="drift"} 1');
      const pushed = await run("--env", "staging", "--pushgateway", server.url);
      expect(pushed.stdout).to.equal("");
      expect(server.requests.map((r) => r.url)).to.deep.equal(["/metrics/job/platform_orchestrator/env/staging"]);
    } finally {
      await server.close();
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
