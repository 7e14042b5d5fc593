import type { RunRecord } from "../../model/run-record";
import { dependencyFailedDetail } from "../../run/skip-dependents";
import { formatChanges, formatDuration } from "./progress";

/** The end-of-run table: each stack's result, time and changes or error. */
export function renderRunSummary(record: RunRecord): string {
  const width = Math.max(5, ...record.stacks.map((s) => s.stack.name.length));
  const rows = record.stacks.map((result) => {
    const outcome = result.outcome;
    const detail =
      outcome.status === "succeeded"
        ? formatChanges(outcome.changes)
        : outcome.status === "failed"
          ? outcome.error.split("\n")[0]!.slice(0, 300)
          : outcome.status === "unchanged"
            ? "unchanged since last successful up (use --force to run anyway)"
            : outcome.reason.kind === "dependency-failed"
              ? `skipped: ${dependencyFailedDetail(outcome.reason.dependency, outcome.reason.because)}`
              : "cancelled before it started";
    const attempts = result.attempts > 1 ? ` (${result.attempts} attempts)` : "";
    return `  ${result.stack.name.padEnd(width)}  ${outcome.status.padEnd(9)}  ${formatDuration(result.durationMs).padStart(7)}  ${detail}${attempts}`;
  });
  const counts = new Map<string, number>();
  for (const result of record.stacks) counts.set(result.outcome.status, (counts.get(result.outcome.status) ?? 0) + 1);
  const tally = [...counts.entries()].map(([status, count]) => `${count} ${status}`).join(", ");
  return [`${record.operation} ${record.env}: ${record.status} in ${formatDuration(record.durationMs)} (${tally}); run ${record.id}`, ...rows].join("\n");
}
