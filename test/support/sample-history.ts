import { loadEnvironment } from "../../environments/load";
import { planRun } from "../../orchestrator/plan/plan";
import type { ReportInputs } from "../../orchestrator/report/model";
import { LAYER_DEPENDENCIES, LAYER_NAMES, stackName, type LayerName } from "../../environments/layers";
import type { DriftEntry, PromotionEntry } from "../../orchestrator/history/journal";
import type { RunRecord, StackRunResult } from "../../orchestrator/model/run-record";

/** Typical seconds per layer for an up; runs vary around these. */
const SECONDS: Readonly<Record<LayerName, number>> = { foundation: 42, ingress: 24, observability: 58, gitops: 21, security: 33, mesh: 17, data: 26 };

const DAY = 24 * 3600 * 1000;

/**
 * A week of an environment's runs as the scheduler would record them: eager starts after each
 * layer's dependencies, one run where observability times out and its dependents are skipped,
 * and the recovery after it. Deterministic.
 */
export function sampleRuns(env: string, start = Date.parse("2026-11-20T09:00:00Z")): RunRecord[] {
  const runs: RunRecord[] = [];
  for (let day = 0; day < 7; day++) {
    const failing = day === 4 ? "observability" : undefined;
    runs.push(sampleRun(env, start + day * DAY, (layer) => Math.round(SECONDS[layer] * (0.85 + ((day * 7 + layer.length * 3) % 10) / 25) * 1000), failing, `${day}`));
  }
  return runs;
}

function sampleRun(env: string, at: number, ms: (layer: LayerName) => number, failing: LayerName | undefined, tag: string): RunRecord {
  const finish = new Map<LayerName, number>();
  const failed = new Set<LayerName>();
  const stacks: StackRunResult[] = [];
  for (const layer of LAYER_NAMES) {
    const stack = { layer, env, name: stackName(layer, env) };
    const blocker = LAYER_DEPENDENCIES[layer].find((need) => failed.has(need));
    if (blocker) {
      failed.add(layer);
      stacks.push({ stack, operation: "up", outcome: { status: "skipped", reason: { kind: "dependency-failed", dependency: stackName(blocker, env) } }, durationMs: 0, attempts: 0, notes: [] });
      continue;
    }
    const begin = Math.max(0, ...LAYER_DEPENDENCIES[layer].map((need) => finish.get(need)!)) + 150;
    const duration = layer === failing ? 300_000 : ms(layer);
    finish.set(layer, begin + duration);
    const outcome =
      layer === failing
        ? ({ status: "failed", error: "timed out waiting for Deployment observability/loki to become available" } as const)
        : ({ status: "succeeded", changes: { update: 2, same: 9 } } as const);
    if (layer === failing) failed.add(layer);
    stacks.push({ stack, operation: "up", outcome, startedAt: new Date(at + begin).toISOString(), durationMs: duration, attempts: layer === "data" && tag === "2" ? 2 : 1, notes: [] });
  }
  const durationMs = Math.max(...finish.values()) + 400;
  return {
    id: `sample-${env}-${tag}`,
    env,
    operation: "up",
    startedAt: new Date(at).toISOString(),
    finishedAt: new Date(at + durationMs).toISOString(),
    durationMs,
    user: "ci",
    host: "runner-1",
    status: failed.size > 0 ? "failed" : "succeeded",
    stacks,
  };
}

export function sampleDrift(env: string): DriftEntry[] {
  return [
    {
      env,
      checkedAt: "2026-11-26T12:00:00.000Z",
      stacks: LAYER_NAMES.map((layer) =>
        layer === "ingress"
          ? { stack: stackName(layer, env), state: "drift" as const, drifted: ["kubernetes:apps/v1:Deployment emissary (update)"], pending: 0 }
          : { stack: stackName(layer, env), state: "clean" as const, drifted: [], pending: 0 },
      ),
    },
  ];
}

export function samplePromotions(source: string, target: string): PromotionEntry[] {
  const gates = (approval: boolean) => [
    { gate: "source-deployed" as const, passed: true, reason: `every ${source} stack is deployed` },
    { gate: "source-drift-free" as const, passed: true, reason: "no drift" },
    { gate: "approval" as const, passed: approval, reason: approval ? "approved by alice@example.com" : "approval required; none given" },
  ];
  return [
    { id: "p-1", source, target, startedAt: "2026-11-24T15:00:00.000Z", result: "refused", gates: gates(false), stacks: [] },
    {
      id: "p-2",
      source,
      target,
      startedAt: "2026-11-24T15:20:00.000Z",
      result: "promoted",
      approver: "alice@example.com",
      gates: gates(true),
      stacks: [{ stack: stackName("ingress", target), charts: { certManager: "1.16.2", emissary: "8.9.1" } }],
    },
  ];
}

/** Report inputs for one real environment file with a week of sample history. */
export function sampleInputs(env = "staging"): ReportInputs {
  return {
    generatedAt: "2026-11-27T10:00:00.000Z",
    environments: [{ name: env, graph: planRun(loadEnvironment(env), { operation: "up" }).graph }],
    runs: sampleRuns(env),
    drift: sampleDrift(env),
    promotions: samplePromotions("dev", env),
    deliveries: [{ at: "2026-11-24T09:10:00.000Z", env, event: "run-failed", destination: "opsWebhook", idempotencyKey: "k", delivered: false, attempts: 3, error: "HTTP 503" }],
  };
}
