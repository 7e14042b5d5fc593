import pLimit from "p-limit";
import { waves, type DependencyGraph } from "../plan/graph";
import { dependentsResult, type NodeResult } from "./skip-dependents";


/** Runs one node; resolves true on success. A rejection counts as a failure. */
export type NodeTask = (name: string) => Promise<boolean>;

export interface ScheduleOptions {
  /** At most this many tasks at once. */
  readonly concurrency: number;
  /** Once aborted, nothing new starts; running tasks are left to finish (they get the signal themselves). */
  readonly signal?: AbortSignal;
  /** Called when a node is settled without running (skipped or cancelled). */
  readonly onSettled?: (name: string, result: NodeResult) => void;
}

/**
 * Eager scheduling: a node starts the moment its last dependency succeeds, bounded by the
 * concurrency limit. A failure skips everything downstream of it (skip-dependents.ts); independent branches go on.
 */
export function scheduleEager(graph: DependencyGraph, task: NodeTask, options: ScheduleOptions): Promise<Map<string, NodeResult>> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const results = new Map<string, NodeResult>();
  const waiting = new Map(graph.nodes.map((name) => [name, graph.dependencies.get(name)!.length]));

  return new Promise((resolve) => {
    const settle = (name: string, result: NodeResult) => {
      if (results.has(name)) return;
      results.set(name, result);
      if (result.kind !== "succeeded" && result.kind !== "failed") options.onSettled?.(name, result);
      if (result.kind === "succeeded") {
        for (const dependent of graph.dependents.get(name)!) {
          const left = waiting.get(dependent)! - 1;
          waiting.set(dependent, left);
          if (left === 0) start(dependent);
        }
      } else {
        const downstream = dependentsResult(name, result);
        for (const dependent of graph.dependents.get(name)!) settle(dependent, downstream);
      }
      if (results.size === graph.nodes.length) resolve(results);
    };
    const start = (name: string) => {
      void limit(async () => {
        if (options.signal?.aborted) return settle(name, { kind: "cancelled" });
        const ok = await task(name).catch(() => false);
        settle(name, { kind: ok ? "succeeded" : "failed" });
      });
    };
    if (graph.nodes.length === 0) return resolve(results);
    for (const name of graph.nodes) if (waiting.get(name) === 0) start(name);
  });
}

/**
 * Wave scheduling, for comparison only: each wave waits for the whole previous wave. This is the
 * barrier the eager scheduler avoids; the benchmark runs both side by side.
 */
export async function scheduleWaves(graph: DependencyGraph, task: NodeTask, options: ScheduleOptions): Promise<Map<string, NodeResult>> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const results = new Map<string, NodeResult>();
  for (const wave of waves(graph)) {
    await Promise.all(
      wave.map((name) =>
        limit(async () => {
          const blocked = graph.dependencies.get(name)!.find((need) => results.get(need)?.kind !== "succeeded");
          if (blocked !== undefined) return results.set(name, { kind: "skipped", dependency: blocked });
          return results.set(name, { kind: (await task(name).catch(() => false)) ? "succeeded" : "failed" });
        }),
      ),
    );
  }
  return results;
}
