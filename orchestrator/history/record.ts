import { randomUUID } from "node:crypto";
import * as os from "node:os";
import type { Operation } from "../engine";
import type { RunRecord, StackRunResult } from "../results";

/** The history record of one run over `stacks`. A stack skipped for a failed dependency fails the run too. */
export function runRecord(env: string, operation: Operation, startedAt: Date, stacks: readonly StackRunResult[], signal?: AbortSignal, extra: Partial<Pick<RunRecord, "promotion">> = {}): RunRecord {
  const finishedAt = new Date();
  const failed = stacks.some((s) => s.outcome.status === "failed" || (s.outcome.status === "skipped" && s.outcome.reason.kind === "dependency-failed"));
  return {
    id: `${startedAt.toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`,
    env,
    operation,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    user: os.userInfo().username,
    host: os.hostname(),
    status: signal?.aborted ? "cancelled" : failed ? "failed" : "succeeded",
    stacks,
    ...extra,
  };
}
