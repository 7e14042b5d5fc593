import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { recoveryNote } from "../locks/environment-lock";
import type { Operation } from "../model/stack";
import { planRun, type StackPlan } from "../plan/plan";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";
import { readHistoryFacts, type HistoryFacts } from "./history-facts";
import { runPreflight, type PreflightCheck, type PreflightFindings } from "./preflight";

/** Whether the session takes the environment's lock, works under a caller's, or reads only. */
export type SessionLock = { readonly take: string } | "held-by-caller" | "none";

export interface SessionRequest {
  readonly env: string;
  /** The operation the plan is made for (its order and subset rules). */
  readonly operation: Operation;
  readonly layers?: readonly string[];
  readonly withDeps?: boolean;
  readonly lock: SessionLock;
  readonly checks?: readonly PreflightCheck[];
}

/** One command's hold on an environment: its files, plan, preflight findings, lock and history. */
export interface RunSession {
  readonly workspace: Workspace;
  readonly env: EnvironmentSpec;
  readonly plan: StackPlan;
  readonly findings: PreflightFindings;
  readonly reporter: RunReporter;
  /** The environment's history, read once at the first call. */
  facts(): Promise<HistoryFacts>;
}

/**
 * Opens the environment and its plan, runs the preflight checks, takes the lock (with a note
 * when it recovered a dead run's), runs `work`, and releases the lock however `work` ends.
 * Everything that can refuse the run does so before the lock: a refused run leaves no trace.
 */
export async function inRunSession<T>(workspace: Workspace, request: SessionRequest, reporter: RunReporter, work: (session: RunSession) => Promise<T>): Promise<T> {
  const env = loadEnvironment(request.env, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation: request.operation, layers: request.layers, withDependencies: request.withDeps });
  const findings = await runPreflight(workspace, env, plan, request.checks ?? [], (line) => reporter.say(line));
  const lock = typeof request.lock === "object" ? await workspace.locks.acquire(env.name, request.lock.take) : undefined;
  try {
    const recovered = lock ? recoveryNote(lock) : undefined;
    if (recovered) reporter.say(recovered);
    let facts: Promise<HistoryFacts> | undefined;
    return await work({ workspace, env, plan, findings, reporter, facts: () => (facts ??= readHistoryFacts(workspace, env)) });
  } finally {
    await lock?.release();
  }
}
