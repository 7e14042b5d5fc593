import type { OperateResult } from "../../operate/operate";

/** The `--json` document of an up, preview, refresh or destroy: the run, its plan, and what only that operation found. Pure. */
export function operationDocument(result: OperateResult): Record<string, unknown> {
  const { operation: _operation, record, plan, ...found } = result;
  return { run: record, plan: { stacks: plan.stacks.map((s) => s.name), outside: plan.outside }, ...found };
}

/** Why a destroy that removed every stack still fails: its leftovers could not be listed or purged. */
export function leftoverProblemOf(result: OperateResult): string | undefined {
  return result.operation === "destroy" ? result.leftoverProblem : undefined;
}
