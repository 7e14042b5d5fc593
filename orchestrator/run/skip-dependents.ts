import type { Operation, StackId } from "../model/stack";
import type { SkipReason, StackRunResult } from "../model/run-record";

/** How one node of the graph ended. */
export type NodeResult =
  | { readonly kind: "succeeded" }
  | { readonly kind: "failed" }
  | { readonly kind: "skipped"; readonly dependency: string }
  | { readonly kind: "cancelled" };

/**
 * What the dependents of a node that did not succeed get: skipped, naming the first stack that
 * failed (a skip passes its cause on), or cancelled with it. Pure.
 */
export function dependentsResult(name: string, result: Exclude<NodeResult, { kind: "succeeded" }>): NodeResult {
  if (result.kind === "cancelled") return result;
  return { kind: "skipped", dependency: result.kind === "skipped" ? result.dependency : name };
}

/** The recorded result of a stack that never ran, with the reason the summary shows. Pure. */
export function skippedStackResult(
  stack: StackId,
  operation: Operation,
  result: Extract<NodeResult, { kind: "skipped" | "cancelled" }>,
  because?: string,
): { result: StackRunResult; detail: string } {
  const reason: SkipReason = result.kind === "skipped" ? { kind: "dependency-failed", dependency: result.dependency, ...(because ? { because } : {}) } : { kind: "cancelled" };
  return {
    result: { stack, operation, outcome: { status: "skipped", reason }, durationMs: 0, attempts: 0, notes: [] },
    detail: result.kind === "skipped" ? dependencyFailedDetail(result.dependency, because) : "cancelled",
  };
}

/** "ingress-dev did not succeed", with why when known. Pure. */
export function dependencyFailedDetail(dependency: string, because?: string): string {
  return `${dependency} did not succeed${because ? ` (${because})` : ""}`;
}
