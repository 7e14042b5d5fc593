import { environmentProblem, environmentsOf, listEnvironments, loadEnvironment, type LoadOptions } from "../../environments/load";
import type { EnvironmentLocks } from "../backend/stores";
import type { CostEntry } from "../history/cost-trend";
import type { Journal } from "../history/journal";
import type { RunHistory } from "../history/store";
import { lockHoldersOf } from "../workspace/lock-holders";
import { planRun } from "../plan/plan";
import type { ReportEnvironment, ReportInputs } from "./model";

export interface ReportSources {
  readonly history: Pick<RunHistory, "read" | "starts">;
  readonly journal: Journal;
  readonly environments?: LoadOptions;
  /** The environment locks, to tell a running run from a killed one; without them every unfinished run is interrupted. */
  readonly locks?: Pick<EnvironmentLocks, "holder">;
  /** The estimates recorded by successful ups. */
  readonly costs?: { readAll(): CostEntry[] };
}

/**
 * Reads what the report shows: run history, drift checks, promotions and deliveries, and the
 * stack graph of each environment — the one asked for, or every environment that has history,
 * a run still without a record included (all of them when there is none yet).
 */
export async function readReportInputs(sources: ReportSources, env?: string, now = new Date()): Promise<ReportInputs> {
  // A fleet's report is its members'.
  const scope = env ? environmentsOf(env, sources.environments) : undefined;
  const inScope = <T>(items: readonly T[], envOf: (item: T) => string) => (scope ? items.filter((item) => scope.includes(envOf(item))) : [...items]);
  const filter = scope?.length === 1 ? { env: scope[0]! } : {};
  const runs = inScope(await sources.history.read(filter), (run) => run.env);
  const promotions = sources.journal.promotions.readAll().filter((p) => !scope || scope.includes(p.target) || scope.includes(p.source));
  const starts = inScope(await sources.history.starts(filter), (start) => start.env);
  const known = listEnvironments(sources.environments);
  // A run without a record counts: an environment whose only run is in progress (or was killed) shows it.
  const hasHistory = (name: string) => runs.some((r) => r.env === name) || starts.some((s) => s.env === name);
  // Fleet members have no file of their own: they show when they have history.
  const members = [...new Set([...runs, ...starts].map((r) => r.env))].filter((name) => !known.includes(name) && !environmentProblem(name, sources.environments)).sort();
  const withHistory = [...known.filter(hasHistory), ...members];
  const names = scope ? [...scope] : withHistory.length > 0 ? withHistory : known;
  return {
    generatedAt: now.toISOString(),
    environments: names.map((name) => reportEnvironment(name, sources.environments)),
    runs,
    starts,
    lockHolders: sources.locks ? await lockHoldersOf(sources.locks, starts, runs) : {},
    drift: inScope(sources.journal.drift.readAll(), (d) => d.env),
    promotions,
    deliveries: inScope(sources.journal.deliveries.readAll(), (d) => d.env),
    costs: inScope(sources.costs?.readAll() ?? [], (c) => c.env),
  };
}

function reportEnvironment(name: string, options: LoadOptions | undefined): ReportEnvironment {
  return { name, graph: planRun(loadEnvironment(name, options), { operation: "up" }).graph };
}
