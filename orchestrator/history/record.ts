import { randomUUID } from "node:crypto";
import * as os from "node:os";
import type { Operation } from "../model/stack";
import type { RunRecord, RunStart, StackRunResult } from "../model/run-record";

/** The line a run writes before it touches anything; its record later carries the same id. */
export function runStart(env: string, operation: Operation, stacks: readonly string[], startedAt: Date): RunStart {
  return {
    kind: "start",
    id: `${startedAt.toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`,
    env,
    operation,
    stacks,
    startedAt: startedAt.toISOString(),
    user: os.userInfo().username,
    host: os.hostname(),
    pid: process.pid,
  };
}

/** The history record of one run over `stacks`. A stack skipped for a failed dependency fails the run too. */
export function runRecord(start: RunStart, stacks: readonly StackRunResult[], signal?: AbortSignal, extra: Partial<Pick<RunRecord, "promotion" | "breakGlass">> = {}): RunRecord {
  const { env, operation } = start;
  const startedAt = new Date(start.startedAt);
  const finishedAt = new Date();
  const failed = stacks.some((s) => s.outcome.status === "failed" || (s.outcome.status === "skipped" && s.outcome.reason.kind === "dependency-failed"));
  return {
    id: start.id,
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
