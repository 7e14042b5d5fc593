import { loadEnvironment } from "../../environments/load";
import { historyStats, type HistoryStats } from "../history/stats";
import type { LockOwner } from "../lock";
import { planRun } from "../plan/plan";
import type { RunRecord, StackRunResult } from "../results";
import { formatDuration } from "./progress";
import type { Workspace } from "./workspace";

export interface StackStatus {
  readonly stack: string;
  readonly last?: { readonly operation: string; readonly status: string; readonly at?: string; readonly durationMs: number; readonly error?: string };
  readonly deployed: boolean;
}

export interface EnvironmentStatus {
  readonly env: string;
  readonly lockedBy?: LockOwner;
  readonly stacks: readonly StackStatus[];
}

/** Each enabled stack's last recorded result, from history alone (no engine call). */
export async function environmentStatus(workspace: Workspace, envName: string): Promise<EnvironmentStatus> {
  const env = loadEnvironment(envName);
  const plan = planRun(env, { operation: "up" });
  const records = await workspace.history.read({ env: env.name });
  const lockedBy = await workspace.locks.holder(env.name);
  return {
    env: env.name,
    ...(lockedBy ? { lockedBy } : {}),
    stacks: plan.stacks.map((stack) => {
      const ran = lastResults(records, stack.name);
      const last = ran.find((r) => r.outcome.status !== "skipped") ?? ran[0];
      const lastChange = ran.find((r) => (r.operation === "up" || r.operation === "destroy") && (r.outcome.status === "succeeded" || r.outcome.status === "unchanged"));
      return {
        stack: stack.name,
        deployed: lastChange?.operation === "up",
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

export function renderStatus(status: EnvironmentStatus): string {
  const lines = [`status of ${status.env}${status.lockedBy ? ` (locked by ${status.lockedBy.user}@${status.lockedBy.host}, ${status.lockedBy.operation} since ${status.lockedBy.startedAt})` : ""}`];
  for (const stack of status.stacks) {
    const last = stack.last;
    const detail = last ? `${last.operation} ${last.status} ${last.at ?? ""} (${formatDuration(last.durationMs)})${last.error ? `: ${last.error}` : ""}` : "never run";
    lines.push(`  ${stack.stack.padEnd(22)} ${(stack.deployed ? "deployed" : "-").padEnd(9)} ${detail}`);
  }
  return lines.join("\n");
}

export interface HistoryView {
  readonly runs: readonly RunRecord[];
  readonly stats: HistoryStats;
}

export async function historyView(workspace: Workspace, env: string | undefined, limit: number): Promise<HistoryView> {
  const records = await workspace.history.read(env ? { env } : {});
  return { runs: records.slice(-limit), stats: historyStats(records) };
}

export function renderHistory(view: HistoryView): string {
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  const lines = ["recent runs:"];
  for (const run of view.runs) {
    const failed = run.stacks.filter((s) => s.outcome.status === "failed").map((s) => s.stack.name);
    lines.push(`  ${run.startedAt}  ${run.operation.padEnd(8)} ${run.env.padEnd(10)} ${run.status.padEnd(10)} ${formatDuration(run.durationMs).padStart(7)}  ${run.user}@${run.host}${failed.length ? `  failed: ${failed.join(", ")}` : ""}`);
  }
  const s = view.stats;
  lines.push(`runs: ${s.runs}, success rate ${percent(s.successRate)}, mean ${formatDuration(s.meanRunMs)}, p95 ${formatDuration(s.p95RunMs)}`);
  lines.push("per stack (runs that did work):");
  for (const stack of s.stacks) {
    lines.push(`  ${stack.stack.padEnd(22)} ${String(stack.runs).padStart(4)} runs  ${percent(stack.successRate).padStart(4)} ok  mean ${formatDuration(stack.meanMs).padStart(7)}  p95 ${formatDuration(stack.p95Ms).padStart(7)}`);
  }
  if (s.topFailures.length > 0) {
    lines.push("most frequent failures:");
    for (const failure of s.topFailures) lines.push(`  ${failure.count}x ${failure.error} (${failure.stacks.join(", ")})`);
  }
  return lines.join("\n");
}
