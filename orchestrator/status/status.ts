import { loadEnvironment } from "../../environments/load";
import type { LockOwner } from "../locks/environment-lock";
import { planRun } from "../plan/plan";
import type { RunRecord, StackRunResult } from "../model/run-record";
import type { Workspace } from "../workspace/workspace";
import { historyStats, interruptedStacks, type HistoryStats } from "../history/stats";

export interface StackStatus {
  readonly stack: string;
  readonly last?: { readonly operation: string; readonly status: string; readonly at?: string; readonly durationMs: number; readonly error?: string };
  readonly deployed: boolean;
  /** A run on it was killed midway and no run has settled it since: its state is uncertain until the next up. */
  readonly interrupted?: { readonly operation: string; readonly startedAt: string; readonly by: string };
}

export interface EnvironmentStatus {
  readonly env: string;
  readonly lockedBy?: LockOwner;
  readonly stacks: readonly StackStatus[];
}

/** Each enabled stack's last recorded result, from history alone (no engine call). */
export async function environmentStatus(workspace: Workspace, envName: string): Promise<EnvironmentStatus> {
  const env = loadEnvironment(envName, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation: "up" });
  const records = await workspace.history.read({ env: env.name });
  const interrupted = interruptedStacks(await workspace.history.starts({ env: env.name }), records);
  const lockedBy = await workspace.locks.holder(env.name);
  return {
    env: env.name,
    ...(lockedBy ? { lockedBy } : {}),
    stacks: plan.stacks.map((stack) => {
      const ran = lastResults(records, stack.name);
      const last = ran.find((r) => r.outcome.status !== "skipped") ?? ran[0];
      const lastChange = ran.find((r) => (r.operation === "up" || r.operation === "destroy") && (r.outcome.status === "succeeded" || r.outcome.status === "unchanged"));
      const killed = interrupted.get(stack.name);
      return {
        stack: stack.name,
        deployed: lastChange?.operation === "up" && !killed,
        ...(killed ? { interrupted: { operation: killed.operation, startedAt: killed.startedAt, by: `${killed.user}@${killed.host}` } } : {}),
        ...(last
          ? {
              last: {
                operation: last.operation,
                status: last.outcome.status,
                ...(last.startedAt ? { at: last.startedAt } : {}),
                durationMs: last.durationMs,
                ...(last.outcome.status === "failed" ? { error: last.outcome.error.split("\n")[0] } : {}),
              },
            }
          : {}),
      };
    }),
  };
}

function lastResults(records: readonly RunRecord[], stack: string): StackRunResult[] {
  return records.flatMap((record) => record.stacks.filter((s) => s.stack.name === stack)).reverse();
}

export interface HistoryView {
  readonly runs: readonly RunRecord[];
  readonly stats: HistoryStats;
}

export async function historyView(workspace: Workspace, env: string | undefined, limit: number): Promise<HistoryView> {
  const records = await workspace.history.read(env ? { env } : {});
  return { runs: records.slice(-limit), stats: historyStats(records) };
}
