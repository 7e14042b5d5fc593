import pLimit from "p-limit";
import type { EnvironmentSpec } from "../../environments/model";
import { PolicyViolationError } from "../engine/errors";
import type { ResourceChange } from "../model/changes";
import type { StackPromotion } from "../model/promotion-report";
import { stackId } from "../model/stack";
import type { Workspace } from "../workspace/workspace";

/** The target's preview of the promoted config, with the policies enforced: changes, policy violations and errors per stack. */
export async function previewTarget(workspace: Workspace, target: EnvironmentSpec, stacks: readonly StackPromotion[], options: { readonly parallel: number; readonly policyPacks: readonly string[]; readonly signal?: AbortSignal }) {
  const limit = pLimit(Math.max(1, options.parallel));
  const changes: Record<string, ResourceChange[]> = {};
  const violations: string[] = [];
  const errors: string[] = [];
  await Promise.all(
    stacks.map((stack) =>
      limit(async () => {
        const id = stackId(stack.layer, target.name);
        try {
          await workspace.engine.run("preview", id, { policyPacks: options.policyPacks, signal: options.signal });
          changes[stack.target] = await workspace.engine.diff("preview", id, { signal: options.signal });
        } catch (error) {
          if (error instanceof PolicyViolationError) violations.push(...error.violations.map((v) => `${stack.target}: ${v}`));
          else errors.push(`${stack.target}: ${(error as Error).message.slice(0, 300)}`);
        }
      }),
    ),
  );
  return { changes, violations, errors };
}
