import { listEnvironments, loadEnvironment, type LoadOptions } from "../../../environments/load";
import type { EnvironmentLocks } from "../../backend/stores";
import type { Journal } from "../../history/journal";
import type { ProgressJournals } from "../../history/progress-journal";
import type { RunHistory } from "../../history/store";
import type { RunRecord } from "../../model/run-record";
import { planRun } from "../../plan/plan";
import { matrixRow, type MatrixRow } from "./environment-matrix";
import { promotionsView, type PromotionsView } from "./promotions";
import { runView, type RunView } from "./run-view";
import { trends, type Trends } from "./trends";

/** What the dashboard reads: the same history, journals and locks the CLI writes. */
export interface DashboardSources {
  readonly progress: ProgressJournals;
  readonly history: Pick<RunHistory, "read">;
  readonly journal: Journal;
  readonly locks: Pick<EnvironmentLocks, "holder">;
  readonly environments?: LoadOptions;
  /** Only these environments; all when empty. */
  readonly only?: readonly string[];
}

export interface Overview {
  readonly matrix: readonly MatrixRow[];
  /** The most recent runs of every environment, newest first. */
  readonly runs: readonly RunView[];
  /** Journal lines that did not parse, over the runs read. */
  readonly skippedLines: number;
}

const RECENT_RUNS = 25;

interface Shape {
  readonly stacks: readonly string[];
  readonly needs: (stack: string) => readonly string[];
}

/**
 * The dashboard's reads. The first page reads only each environment's newest journals (their
 * listing is the index); trends alone read the whole history, when asked for.
 */
export class DashboardData {
  private readonly ended = new Map<string, RunView>();
  private readonly shapes = new Map<string, Shape>();

  constructor(private readonly sources: DashboardSources) {}

  async environments(): Promise<string[]> {
    const names = [...new Set([...listEnvironments(this.sources.environments), ...(await this.sources.progress.environments())])].sort();
    return this.sources.only && this.sources.only.length > 0 ? names.filter((name) => this.sources.only!.includes(name)) : names;
  }

  async recentRuns(env: string, limit = RECENT_RUNS): Promise<RunView[]> {
    const ids = await this.sources.progress.recent(env, limit);
    const views = await Promise.all(ids.map((id) => this.run(env, id)));
    return views.filter((view) => view !== undefined);
  }

  async run(env: string, id: string, now = new Date()): Promise<RunView | undefined> {
    const key = `${env}/${id}`;
    const cached = this.ended.get(key);
    if (cached) return cached;
    const read = await this.sources.progress.read(env, id);
    const view = runView(read, await this.sources.locks.holder(env), this.shape(env).needs, now);
    // A run that ended (or was cut short) no longer changes: read it once.
    if (view && view.state !== "running") this.ended.set(key, view);
    return view;
  }

  async overview(): Promise<Overview> {
    const envs = await this.environments();
    const drift = this.sources.journal.drift.readAll();
    const promotions = this.sources.journal.promotions.readAll();
    const perEnv = await Promise.all(envs.map(async (env) => ({ env, runs: await this.recentRuns(env), holder: await this.sources.locks.holder(env) })));
    const runs = perEnv.flatMap((e) => e.runs).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return {
      matrix: perEnv.map(({ env, runs: envRuns, holder }) => matrixRow({ env, stacks: this.stacksOf(env, envRuns), runs: envRuns, drift, promotions, ...(holder ? { holder } : {}) })),
      runs: runs.slice(0, RECENT_RUNS),
      skippedLines: runs.reduce((sum, run) => sum + run.skippedLines, 0),
    };
  }

  async promotions(): Promise<PromotionsView> {
    return promotionsView(await this.environments(), this.sources.journal.promotions.readAll());
  }

  async trends(now = new Date()): Promise<Trends> {
    return trends(await this.history(), this.sources.journal.promotions.readAll(), now);
  }

  /** Every finished run of the environments shown, oldest first: the whole history, for trends only. */
  async history(): Promise<RunRecord[]> {
    const envs = new Set(await this.environments());
    return (await this.sources.history.read()).filter((r) => envs.has(r.env));
  }

  private stacksOf(env: string, runs: readonly RunView[]): readonly string[] {
    const known = this.shape(env).stacks;
    return known.length > 0 ? known : [...new Set(runs.flatMap((r) => r.stacks.map((s) => s.stack)))].sort();
  }

  /** The environment's stacks and edges from its file; an environment with journals and no file has none. */
  private shape(env: string): Shape {
    let shape = this.shapes.get(env);
    if (!shape) {
      try {
        const graph = planRun(loadEnvironment(env, this.sources.environments), { operation: "up" }).graph;
        shape = { stacks: graph.nodes, needs: (stack) => graph.dependencies.get(stack) ?? [] };
      } catch {
        shape = { stacks: [], needs: () => [] };
      }
      this.shapes.set(env, shape);
    }
    return shape;
  }
}
