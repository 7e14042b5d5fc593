import pLimit from "p-limit";
import type { StackEngine, StackId, StackOutputs } from "../engine";
import { reverseGraph, withDependencies } from "../plan/graph";
import type { StackPlan } from "../plan/plan";
import { stackFingerprint, type FingerprintInputs } from "./fingerprint";

export interface ChangedStacksRequest {
  readonly engine: StackEngine;
  readonly plan: StackPlan;
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  readonly fingerprintOf: (stack: StackId) => Omit<FingerprintInputs, "upstream">;
  /** Each stack's fingerprint at its last successful up, from the shared history. */
  readonly lastFingerprints: ReadonlyMap<string, string>;
  readonly concurrency: number;
}

/**
 * The stacks an up would run before it starts: missing ones, ones whose fingerprint (with their
 * upstream outputs as the backend has them now) differs from their last successful up, and
 * everything downstream of those, whose upstream outputs may change. What a CI workflow's first
 * job computes so unchanged stacks' jobs are skipped.
 */
export async function changedStacks(request: ChangedStacksRequest): Promise<string[]> {
  const limit = pLimit(Math.max(1, request.concurrency));
  const outputs = new Map<string, Promise<StackOutputs | undefined>>();
  const outputsOf = (name: string, stack: StackId) => {
    if (!outputs.has(name)) outputs.set(name, request.engine.exists(stack).then((exists) => (exists ? request.engine.outputs(stack) : undefined)));
    return outputs.get(name)!;
  };
  const idOf = (name: string): StackId => ({ layer: name.slice(0, name.length - request.plan.env.length - 1) as StackId["layer"], env: request.plan.env, name });
  const own = await Promise.all(
    request.plan.stacks.map((stack) =>
      limit(async () => {
        const last = request.lastFingerprints.get(stack.name);
        if (!last || !(await request.engine.exists(stack))) return stack.name;
        const upstream: Record<string, StackOutputs> = {};
        for (const dependency of request.upstream.get(stack.name) ?? []) {
          const found = await outputsOf(dependency, idOf(dependency));
          if (!found) return stack.name;
          upstream[dependency] = found;
        }
        return stackFingerprint({ ...request.fingerprintOf(stack), upstream }) === last ? undefined : stack.name;
      }),
    ),
  );
  const changed = withDependencies(reverseGraph(request.plan.graph), own.filter((name): name is string => name !== undefined));
  return request.plan.stacks.map((s) => s.name).filter((name) => changed.has(name));
}
