import type { EnvironmentSpec } from "../../environments/model";
import type { StackPromotion } from "../model/promotion-report";
import { stackId } from "../model/stack";
import { provablyUnchanged } from "../run/skip-unchanged";
import { readHistoryFacts, unchangedFacts } from "../session/history-facts";
import type { Workspace } from "../workspace/workspace";
import type { PromotionStart } from "./promotion-journal";

/**
 * Why each target stack of the plan is not settled, so that "nothing to promote" is never said
 * of it: an unfinished promotion touched it, a run on it was killed, or its config differs from
 * its state (a program preview shows changes, unless an up would provably skip it).
 */
export async function unsettledStacks(workspace: Workspace, target: EnvironmentSpec, plan: readonly StackPromotion[], unfinished: readonly PromotionStart[], signal?: AbortSignal): Promise<Map<string, string>> {
  const why = new Map<string, string>();
  for (const promotion of unfinished) {
    for (const { stack } of promotion.stacks) if (!why.has(stack)) why.set(stack, `promotion ${promotion.id} from ${promotion.source} (started ${promotion.startedAt}) never reached its verified end`);
  }
  const facts = await readHistoryFacts(workspace, target);
  for (const [stack, unsettled] of facts.unsettled) {
    if (!why.has(stack)) why.set(stack, `left unsettled by the ${unsettled.reason}`);
  }
  const unchanged = await unchangedFacts(workspace, facts);
  for (const stack of plan) {
    if (why.has(stack.target) || stack.changes.length > 0) continue;
    const id = stackId(stack.layer, target.name);
    if (!(await workspace.records.exists(id)) || (await provablyUnchanged(id, unchanged).catch(() => false))) continue;
    const pending = await workspace.engine.diff("preview", id, { signal });
    if (pending.length > 0) why.set(stack.target, `its config differs from its state: ${pending.map((c) => `${c.op} ${c.type} ${c.name}`).join(", ")}`);
  }
  const planned = new Set(plan.map((stack) => stack.target));
  return new Map([...why].filter(([stack]) => planned.has(stack)));
}
