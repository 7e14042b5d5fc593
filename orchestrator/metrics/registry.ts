import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { CostEntry } from "../history/cost-trend";
import type { DeliveryEntry, DriftEntry, PromotionEntry } from "../history/journal";
import { unfinishedStacks, type LockHolders } from "../history/unfinished-runs";
import type { RunRecord, RunStart } from "../model/run-record";
import { recoveries } from "./recovery";

export interface MetricsInputs {
  readonly runs: readonly RunRecord[];
  readonly drift: readonly DriftEntry[];
  readonly promotions: readonly PromotionEntry[];
  readonly deliveries?: readonly DeliveryEntry[];
  readonly starts?: readonly RunStart[];
  /** Each environment's lock holder with its liveness: a run without a record that holds it alive is running, not interrupted. */
  readonly lockHolders?: LockHolders;
  /** The estimates recorded by successful ups, oldest first. */
  readonly costs?: readonly CostEntry[];
}

const DURATION_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600];
const RECOVERY_BUCKETS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 24 * 3600, 7 * 24 * 3600];
const DRIFT_STATES = ["clean", "drift", "pending", "error"] as const;

/**
 * The platform's metrics from its history, in a registry of their own (never the global one):
 * counters and histograms are totals over the history read, so a scrape or push is idempotent.
 */
export function metricsRegistry(inputs: MetricsInputs): Registry {
  const registry = new Registry();
  const registers = [registry];
  const runsTotal = new Counter({ name: "platform_runs_total", help: "Orchestrator runs by environment, operation and result.", labelNames: ["env", "operation", "result"], registers });
  const stackRuns = new Counter({ name: "platform_stack_runs_total", help: "Stack operations by result (unchanged and skipped included).", labelNames: ["env", "stack", "operation", "result"], registers });
  const duration = new Histogram({
    name: "platform_stack_duration_seconds",
    help: "Duration of stack operations that ran (succeeded or failed).",
    labelNames: ["env", "stack", "operation"],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const lastSuccess = new Gauge({ name: "platform_stack_last_success_timestamp_seconds", help: "When each stack last finished an operation successfully (Unix time).", labelNames: ["env", "stack", "operation"], registers });
  const drift = new Gauge({ name: "platform_stack_drift_state", help: "Each stack's state at its environment's last drift check: 1 for the current state, 0 for the others.", labelNames: ["env", "stack", "state"], registers });
  const driftChecked = new Gauge({ name: "platform_drift_last_check_timestamp_seconds", help: "When each environment was last checked for drift (Unix time).", labelNames: ["env"], registers });
  const promotions = new Counter({ name: "platform_promotions_total", help: "Promotions by source, target and result.", labelNames: ["source", "target", "result"], registers });
  const recovery = new Histogram({
    name: "platform_stack_recovery_seconds",
    help: "Time from a stack's first failure to the end of its next successful run of the same operation.",
    labelNames: ["env", "stack"],
    buckets: RECOVERY_BUCKETS,
    registers,
  });

  const notifications = new Counter({ name: "platform_notifications_total", help: "Notification deliveries by event, destination (its secret config name) and result.", labelNames: ["env", "event", "destination", "result"], registers });
  const interrupted = new Gauge({ name: "platform_stack_interrupted", help: "1 for each stack a killed run touched that no later up or destroy has settled.", labelNames: ["env", "stack"], registers });
  const running = new Gauge({ name: "platform_stack_running", help: "1 for each stack of a run in progress (no record yet, its environment's lock held by it).", labelNames: ["env", "stack"], registers });

  for (const run of inputs.runs) {
    runsTotal.inc({ env: run.env, operation: run.operation, result: run.status });
    for (const result of run.stacks) {
      const labels = { env: run.env, stack: result.stack.name, operation: result.operation };
      stackRuns.inc({ ...labels, result: result.outcome.status });
      if (result.outcome.status === "succeeded" || result.outcome.status === "failed") duration.observe(labels, result.durationMs / 1000);
      if (result.outcome.status === "succeeded" || result.outcome.status === "unchanged") {
        lastSuccess.set(labels, (Date.parse(result.startedAt ?? run.startedAt) + result.durationMs) / 1000);
      }
    }
  }
  const latestDrift = new Map(inputs.drift.map((entry) => [entry.env, entry]));
  for (const entry of latestDrift.values()) {
    driftChecked.set({ env: entry.env }, Date.parse(entry.checkedAt) / 1000);
    for (const stack of entry.stacks) {
      for (const state of DRIFT_STATES) drift.set({ env: entry.env, stack: stack.stack, state }, stack.state === state ? 1 : 0);
    }
  }
  for (const promotion of inputs.promotions) promotions.inc({ source: promotion.source, target: promotion.target, result: promotion.result });
  for (const r of recoveries(inputs.runs)) recovery.observe({ env: r.env, stack: r.stack }, r.seconds);
  for (const d of inputs.deliveries ?? []) notifications.inc({ env: d.env, event: d.event, destination: d.destination, result: d.delivered ? "delivered" : "failed" });
  const cost = new Gauge({
    name: "platform_cost_monthly_estimate",
    help: "Monthly cost estimate of what the last successful up deployed, at list prices (not a bill): each layer's share by requests; layer=\"infrastructure\" is the rest (control plane, idle nodes, NAT, load balancers, volumes). Summed over layer: the whole estimate.",
    labelNames: ["environment", "layer"],
    registers,
  });
  for (const entry of new Map((inputs.costs ?? []).map((e) => [e.env, e])).values()) {
    const layers = Object.entries(entry.perLayer);
    for (const [layer, monthly] of layers) cost.set({ environment: entry.env, layer }, monthly!);
    cost.set({ environment: entry.env, layer: "infrastructure" }, entry.total - layers.reduce((sum, [, monthly]) => sum + monthly!, 0));
  }
  for (const [stack, run] of unfinishedStacks(inputs.starts ?? [], inputs.runs, inputs.lockHolders ?? {})) {
    (run.state === "running" ? running : interrupted).set({ env: run.start.env, stack }, 1);
  }
  return registry;
}
