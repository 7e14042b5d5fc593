import pLimit from "p-limit";
import { reverseGraph, withDependencies } from "../plan/graph";
import type { StackPlan } from "../plan/plan";
import { provablyUnchanged, type UnchangedFacts } from "./skip-unchanged";

export interface ChangedStacksRequest {
  readonly plan: StackPlan;
  /** What an up would decide its skips from: fingerprint sources, the shared history's last ups, the backend's state markers. */
  readonly facts: UnchangedFacts;
  readonly concurrency: number;
}

/**
 * The stacks an up would run before it starts: every stack the runner would not skip as unchanged
 * (same rule, `skipDecision`), and everything downstream of those, whose upstream outputs may
 * change. What a CI workflow's first job computes so unchanged stacks' jobs are skipped.
 */
export async function changedStacks(request: ChangedStacksRequest): Promise<string[]> {
  const limit = pLimit(Math.max(1, request.concurrency));
  const own = await Promise.all(request.plan.stacks.map((stack) => limit(async () => ((await provablyUnchanged(stack, request.facts)) ? undefined : stack.name))));
  const changed = withDependencies(reverseGraph(request.plan.graph), own.filter((name): name is string => name !== undefined));
  return request.plan.stacks.map((s) => s.name).filter((name) => changed.has(name));
}
