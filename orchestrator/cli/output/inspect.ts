import type { EnvironmentStatus, HistoryView } from "../../status/status";
import { runnerOf } from "../../history/unfinished-runs";
import { formatDuration } from "./progress";

export function renderStatus(status: EnvironmentStatus): string {
  const lines = [`status of ${status.env}${lockLine(status.lockedBy)}`];
  for (const stack of status.stacks) {
    const last = stack.last;
    const detail = last ? `${last.operation} ${last.status} ${last.at ?? ""} (${formatDuration(last.durationMs)})${last.error ? `: ${last.error}` : ""}` : "never run";
    const state = stack.stateUnreadable
      ? "state unreadable"
      : stack.running
      ? `running (${stack.running.operation} by ${stack.running.by} since ${stack.running.startedAt})`
      : stack.interrupted
        ? `interrupted (${stack.interrupted.operation} killed at ${stack.interrupted.startedAt}; the next up reconciles it)`
        : stack.deployed
          ? "deployed"
          : "-";
    lines.push(`  ${stack.stack.padEnd(22)} ${state.padEnd(9)} ${detail}`);
    if (stack.stateUnreadable) lines.push(...stack.stateUnreadable.split("\n").map((line) => `    ${line.trim()}`));
  }
  if (status.hold) lines.push(`  HELD since ${status.hold.since} (${status.hold.placedBy}): ${status.hold.reason}; release with npm run promote -- release-hold ${status.env}`);
  if (status.soak) lines.push(`  soak: ${status.soak.satisfied ? "done" : `waiting, ${formatDuration(status.soak.remainingMs)} left`}: ${status.soak.reason}`);
  if (status.changeWindow) lines.push(`  change window: ${status.changeWindow.allowed ? "open" : "closed"}: ${status.changeWindow.reason}`);
  return lines.join("\n");
}

function lockLine(holder: EnvironmentStatus["lockedBy"]): string {
  if (!holder) return "";
  const who = `${holder.holder ? `${holder.holder}: ` : ""}${holder.user}@${holder.host} (pid ${holder.pid}, ${holder.operation} since ${holder.startedAt})`;
  return holder.alive ? ` (locked by ${who})` : ` (stale lock of ${who}: its process is gone; the next run takes it over)`;
}

export function renderHistory(view: HistoryView): string {
  const percent = (value: number) => `${Math.round(value * 100)}%`;
  const lines = ["recent runs:"];
  for (const run of view.runs) {
    const failed = run.stacks.filter((s) => s.outcome.status === "failed").map((s) => s.stack.name);
    lines.push(`  ${run.startedAt}  ${run.operation.padEnd(8)} ${run.env.padEnd(10)} ${run.status.padEnd(10)} ${formatDuration(run.durationMs).padStart(7)}  ${run.user}@${run.host}${failed.length ? `  failed: ${failed.join(", ")}` : ""}`);
  }
  if (view.unfinished.length > 0) {
    lines.push("in progress or interrupted:");
    for (const { start, state } of view.unfinished) {
      lines.push(`  ${start.startedAt}  ${start.operation.padEnd(8)} ${start.env.padEnd(10)} ${state.padEnd(11)} by ${runnerOf(start)}: ${start.stacks.join(", ")}`);
    }
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
