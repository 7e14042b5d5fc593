import type { StackRunResult } from "../../model/run-record";
import { formatStuckNamespace, type StuckLayerNamespace } from "./namespace-causes";

/**
 * A destroy that failed while its layer's namespace is stuck Terminating failed because of it:
 * the stack's error leads with the namespace and its causes, and the engine's own error (a
 * timeout) moves to the detail history keeps. Pure.
 */
export function blameStuckNamespaces(results: readonly StackRunResult[], stuck: readonly StuckLayerNamespace[]): StackRunResult[] {
  return results.map((result) => {
    const outcome = result.outcome;
    const namespaces = stuck.filter((s) => s.layer === result.stack.layer);
    if (outcome.status !== "failed" || namespaces.length === 0) return result;
    const engine = `engine: ${outcome.error}${outcome.detail ? `\n${outcome.detail}` : ""}`;
    return { ...result, outcome: { status: "failed", error: namespaces.map(formatStuckNamespace).join("; "), detail: engine } };
  });
}
