import { loadEnvironment } from "../../environments/load";
import type { LockHolder } from "../locks/environment-lock";
import { changeWindowVerdict, hasWindows } from "../plan/change-windows";
import { planRun } from "../plan/plan";
import { soakState, type SoakState } from "../plan/soak";
import type { Hold } from "../model/hold";
import type { RunRecord, StackRunResult } from "../model/run-record";
import { findUnreadableStates, unreadableReasons } from "../session/unreadable-states";
import { lockHoldersOf } from "../workspace/lock-holders";
import type { Workspace } from "../workspace/workspace";
import { historyStats, type HistoryStats } from "../history/stats";
import { runnerOf, unfinishedRuns, unfinishedStacks, type UnfinishedRun } from "../history/unfinished-runs";

export interface StackStatus {
  readonly stack: string;
  readonly last?: { readonly operation: string; readonly status: string; readonly at?: string; readonly durationMs: number; readonly error?: string };
  readonly deployed: boolean;
  /** A run on it was killed midway and no run has settled it since: its state is uncertain until the next up. */
  readonly interrupted?: { readonly operation: string; readonly startedAt: string; readonly by: string };
  /** A run on it has not ended and still holds the environment's lock. */
  readonly running?: { readonly operation: string; readonly startedAt: string; readonly by: string };
  /** Its state file does not parse: where the good copies are and the command that restores the newest. */
  readonly stateUnreadable?: string;
}

export interface EnvironmentStatus {
  readonly env: string;
  /** The lock's holder; `alive: false` is a stale lock the next run takes over. */
  readonly lockedBy?: LockHolder;
  readonly stacks: readonly StackStatus[];
  /** Promotions into it are refused until `promote release-hold`. */
  readonly hold?: Hold;
  /** Where `gates.requiredSoak` is set: how long its release has run healthy, and the wait left before it may be promoted. */
  readonly soak?: SoakState;
  /** Where `gates.windows` is set: whether up, destroy and promote may run now, and when they may if not. */
  readonly changeWindow?: { readonly allowed: boolean; readonly reason: string; readonly opensAt?: string };
}

/** Each enabled stack's last recorded result, from history alone, and whether its state file parses (no engine call). */
export async function environmentStatus(workspace: Workspace, envName: string): Promise<EnvironmentStatus> {
  const env = loadEnvironment(envName, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation: "up" });
  const records = await workspace.history.read({ env: env.name });
  const lockedBy = await workspace.locks.holder(env.name);
  const unfinished = unfinishedStacks(await workspace.history.starts({ env: env.name }), records, lockedBy ? { [env.name]: lockedBy } : {});
  const unreadable = unreadableReasons(await findUnreadableStates(workspace, plan.stacks));
  const hold = await workspace.holds.read(env.name);
  const window = hasWindows(env.gates.windows) ? changeWindowVerdict(env.gates.windows, new Date()) : undefined;
  const soak = env.gates.requiredSoakMs > 0 ? soakState(records, plan.stacks.map((s) => s.name), env.gates.requiredSoakMs, new Date()) : undefined;
  return {
    env: env.name,
    ...(lockedBy ? { lockedBy } : {}),
    ...(hold ? { hold } : {}),
    ...(soak ? { soak } : {}),
    ...(window ? { changeWindow: { allowed: window.allowed, reason: window.reason, ...(!window.allowed && window.opensAt ? { opensAt: window.opensAt.toISOString() } : {}) } } : {}),
    stacks: plan.stacks.map((stack) => {
      const ran = lastResults(records, stack.name);
      const last = ran.find((r) => r.outcome.status !== "skipped") ?? ran[0];
      const lastChange = ran.find((r) => (r.operation === "up" || r.operation === "destroy") && (r.outcome.status === "succeeded" || r.outcome.status === "unchanged"));
      const run = unfinished.get(stack.name);
      return {
        stack: stack.name,
        deployed: lastChange?.operation === "up" && !run,
        ...unfinishedState(run),
        ...(unreadable.has(stack.name) ? { stateUnreadable: unreadable.get(stack.name)! } : {}),
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

/** A stack an unfinished run has: who runs it and since when, or who left it interrupted. */
function unfinishedState(run: UnfinishedRun | undefined): Pick<StackStatus, "running" | "interrupted"> {
  if (!run) return {};
  const { operation, startedAt, user, host } = run.start;
  return run.state === "running" ? { running: { operation, startedAt, by: runnerOf(run.start) } } : { interrupted: { operation, startedAt, by: `${user}@${host}` } };
}

function lastResults(records: readonly RunRecord[], stack: string): StackRunResult[] {
  return records.flatMap((record) => record.stacks.filter((s) => s.stack.name === stack)).reverse();
}

export interface HistoryView {
  readonly runs: readonly RunRecord[];
  /** Runs that have no record (yet): running while they hold their environment's lock, else interrupted. */
  readonly unfinished: readonly UnfinishedRun[];
  readonly stats: HistoryStats;
}

export async function historyView(workspace: Workspace, env: string | undefined, limit: number): Promise<HistoryView> {
  const records = await workspace.history.read(env ? { env } : {});
  const starts = await workspace.history.starts(env ? { env } : {});
  const unfinished = unfinishedRuns(starts, records, await lockHoldersOf(workspace.locks, starts, records));
  return { runs: records.slice(-limit), unfinished: unfinished.slice(-limit), stats: historyStats(records) };
}
