import { type DependencyGraph, criticalPath, makeGraph } from "../plan/graph";
import { historyStats, type FailureCount, type StackStats } from "../history/stats";
import { runnerOf, unfinishedStacks, type LockHolders } from "../history/unfinished-runs";
import type { CostEntry } from "../history/cost-trend";
import type { DeliveryEntry, DriftEntry, PromotionEntry } from "../history/journal";
import type { RunRecord, RunStart, StackState } from "../model/run-record";

/** An environment as the report draws it: its stacks and their dependencies (up direction). */
export interface ReportEnvironment {
  readonly name: string;
  readonly graph: DependencyGraph;
}

export interface ReportInputs {
  readonly generatedAt: string;
  readonly environments: readonly ReportEnvironment[];
  /** Oldest first, as the history store returns them. */
  readonly runs: readonly RunRecord[];
  /** Start lines of runs; one without a record is a run still going or one that was killed. */
  readonly starts?: readonly RunStart[];
  /** Each environment's lock holder with its liveness: a run without a record that holds it alive is running. */
  readonly lockHolders?: LockHolders;
  readonly drift: readonly DriftEntry[];
  readonly promotions: readonly PromotionEntry[];
  readonly deliveries: readonly DeliveryEntry[];
  /** The estimates recorded by successful ups, oldest first. */
  readonly costs?: readonly CostEntry[];
}

/** One layer's share of an environment's monthly estimate at one up; `infrastructure` is the rest. */
export interface CostPoint {
  readonly env: string;
  readonly at: string;
  readonly layer: string;
  readonly monthly: number;
  readonly prices: string;
}

export type DriftState = "clean" | "drift" | "pending" | "error" | "unknown";

export interface StackRow {
  readonly stack: string;
  /** `interrupted`: a killed run touched the stack and nothing has settled it since; `running`: a live run works on it. */
  readonly state: StackState | "never-run" | "interrupted";
  readonly operation?: string;
  readonly at?: string;
  readonly durationMs?: number;
  readonly error?: string;
  /** Who runs it, for a running stack. */
  readonly note?: string;
  readonly drift: DriftState;
  readonly release?: { readonly promotion: string; readonly source: string; readonly at: string; readonly charts: Readonly<Record<string, string>> };
}

export interface EnvironmentView {
  readonly env: string;
  readonly stacks: readonly StackRow[];
  readonly edges: readonly (readonly [from: string, to: string])[];
}

export interface TimelineBar {
  readonly stack: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly state: StackState;
  readonly critical: boolean;
  readonly attempts: number;
}

export interface TimelineView {
  readonly runId: string;
  readonly env: string;
  readonly operation: string;
  readonly status: string;
  readonly startedAt: string;
  readonly wallMs: number;
  readonly serialMs: number;
  readonly criticalPath: readonly string[];
  readonly criticalMs: number;
  readonly bars: readonly TimelineBar[];
}

export interface DurationPoint {
  readonly stack: string;
  readonly at: string;
  readonly durationMs: number;
  readonly state: StackState;
  readonly operation: string;
}

export interface ReportModel {
  readonly generatedAt: string;
  readonly scope: string;
  readonly environments: readonly EnvironmentView[];
  readonly timeline?: TimelineView;
  readonly history: {
    readonly runs: number;
    readonly successRate: number;
    readonly points: readonly DurationPoint[];
    readonly stacks: readonly StackStats[];
    readonly topFailures: readonly FailureCount[];
  };
  readonly drift: readonly DriftEntry[];
  readonly promotions: readonly PromotionEntry[];
  readonly failedDeliveries: readonly DeliveryEntry[];
  readonly costs: readonly CostPoint[];
}

const RECENT = 10;

/** Everything the report shows, computed from history alone. Pure. */
export function buildReportModel(inputs: ReportInputs, scope: string): ReportModel {
  const stats = historyStats(inputs.runs);
  return {
    generatedAt: inputs.generatedAt,
    scope,
    environments: inputs.environments.map((env) => environmentView(env, inputs)),
    ...optional("timeline", lastRunTimeline(inputs)),
    history: {
      runs: stats.runs,
      successRate: stats.successRate,
      points: inputs.runs.flatMap((run) =>
        run.stacks
          .filter((s) => s.outcome.status === "succeeded" || s.outcome.status === "failed")
          .map((s) => ({ stack: s.stack.name, at: s.startedAt ?? run.startedAt, durationMs: s.durationMs, state: s.outcome.status, operation: s.operation })),
      ),
      stacks: stats.stacks,
      topFailures: stats.topFailures,
    },
    drift: inputs.drift.slice(-RECENT).reverse(),
    promotions: inputs.promotions.slice(-RECENT).reverse(),
    failedDeliveries: inputs.deliveries.filter((d) => !d.delivered).slice(-RECENT).reverse(),
    costs: (inputs.costs ?? []).flatMap(costPoints),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function environmentView(env: ReportEnvironment, inputs: ReportInputs): EnvironmentView {
  const runs = inputs.runs.filter((r) => r.env === env.name);
  const lastDrift = [...inputs.drift].reverse().find((d) => d.env === env.name);
  const promoted = inputs.promotions.filter((p) => p.target === env.name && p.result === "promoted");
  const unfinished = unfinishedStacks((inputs.starts ?? []).filter((s) => s.env === env.name), runs, inputs.lockHolders ?? {});
  const stacks = env.graph.nodes.map((stack): StackRow => {
    const results = runs.flatMap((run) => run.stacks.filter((s) => s.stack.name === stack));
    const last = [...results].reverse().find((s) => s.outcome.status !== "skipped") ?? results.at(-1);
    const driftRow = lastDrift?.stacks.find((s) => s.stack === stack);
    const release = [...promoted].reverse().find((p) => p.stacks.some((s) => s.stack === stack));
    const run = unfinished.get(stack);
    const shared = {
      stack,
      drift: driftRow?.state ?? "unknown",
      ...optional(
        "release",
        release && { promotion: release.id, source: release.source, at: release.startedAt, charts: release.stacks.find((s) => s.stack === stack)!.charts },
      ),
    } as const;
    // A later result of the stack (a failed retry, say) is newer news than the unfinished run.
    if (run && !(last?.startedAt && last.startedAt > run.start.startedAt)) {
      const { id, operation, startedAt: at, user, host } = run.start;
      return run.state === "running"
        ? { ...shared, state: "running", operation, at, note: `run ${id} by ${runnerOf(run.start)}, still holding the environment's lock` }
        : { ...shared, state: "interrupted", operation, at, error: `run ${id} by ${user}@${host} ended before it recorded a result` };
    }
    return {
      state: last?.outcome.status ?? "never-run",
      ...(last ? { operation: last.operation, durationMs: last.durationMs } : {}),
      ...optional("at", last?.startedAt),
      ...optional("error", last?.outcome.status === "failed" ? last.outcome.error.split("\n")[0] : undefined),
      ...shared,
    };
  });
  const edges = env.graph.nodes.flatMap((name) => env.graph.dependencies.get(name)!.map((need) => [need, name] as const));
  return { env: env.name, stacks, edges };
}

/** The most recent run in which some stack did work, as bars from its start; the critical path by real durations. */
export function lastRunTimeline(inputs: Pick<ReportInputs, "runs" | "environments">): TimelineView | undefined {
  const run = [...inputs.runs].reverse().find((r) => r.stacks.some((s) => s.startedAt && (s.outcome.status === "succeeded" || s.outcome.status === "failed")));
  if (!run) return undefined;
  const origin = Date.parse(run.startedAt);
  const ran = run.stacks.filter((s) => s.startedAt);
  const names = new Set(ran.map((s) => s.stack.name));
  const envGraph = inputs.environments.find((e) => e.name === run.env)?.graph;
  const needs = (name: string) => {
    const deps = run.operation === "destroy" ? envGraph?.dependents.get(name) : envGraph?.dependencies.get(name);
    return (deps ?? []).filter((d) => names.has(d));
  };
  const graph = makeGraph(new Map(ran.map((s) => [s.stack.name, needs(s.stack.name)])));
  const duration = new Map(ran.map((s) => [s.stack.name, s.durationMs]));
  const critical = criticalPath(graph, (name) => duration.get(name) ?? 0);
  const onPath = new Set(critical.path);
  return {
    runId: run.id,
    env: run.env,
    operation: run.operation,
    status: run.status,
    startedAt: run.startedAt,
    wallMs: run.durationMs,
    serialMs: ran.reduce((sum, s) => sum + s.durationMs, 0),
    criticalPath: critical.path,
    criticalMs: critical.total,
    bars: ran.map((s) => {
      const startMs = Math.max(0, Date.parse(s.startedAt!) - origin);
      return { stack: s.stack.name, startMs, endMs: startMs + s.durationMs, state: s.outcome.status, critical: onPath.has(s.stack.name), attempts: s.attempts };
    }),
  };
}

/** An estimate as points of the cost trend: each layer's share, and the rest as infrastructure. Pure. */
function costPoints(entry: CostEntry): CostPoint[] {
  const layers = Object.entries(entry.perLayer).map(([layer, monthly]) => ({ env: entry.env, at: entry.at, layer, monthly: monthly!, prices: entry.prices }));
  const rest = entry.total - layers.reduce((sum, point) => sum + point.monthly, 0);
  return [...layers, { env: entry.env, at: entry.at, layer: "infrastructure", monthly: rest, prices: entry.prices }];
}
