import { costDelta, valueChanges } from "../../environments/cost-delta";
import type { LayerName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import type { PriceList } from "../../environments/pricing";
import type { PromotionCost, StackPromotion } from "../model/promotion-report";
import { estimateOf } from "../session/cost-estimate";
import type { Workspace } from "../workspace/workspace";
import { withReleases } from "./release-config";

/** Value changes the promotion carries, per layer: `mimir ingester.replicas 3 → 5`. Pure. */
export function valueCauses(changed: readonly StackPromotion[]): Map<LayerName, string[]> {
  return new Map(
    changed.map((stack) => [
      stack.layer,
      stack.changes.filter((c) => c.field === "values").flatMap((c) => valueChanges(c.from, c.to).map((line) => `${c.component} ${line}`)),
    ]),
  );
}

/** The target's monthly estimate before and after the promoted releases, rendered as an up would render them. */
export async function promotionCost(workspace: Workspace, target: EnvironmentSpec, changed: readonly StackPromotion[], prices: PriceList, label: string, budgetApproval?: string): Promise<PromotionCost> {
  const before = await estimateOf(workspace, withReleases(target, changed.map((stack) => ({ ...stack, after: stack.before }))), prices);
  const after = await estimateOf(workspace, withReleases(target, changed), prices);
  return {
    prices: label,
    delta: costDelta(before, after, valueCauses(changed)),
    ...(target.budget ? { budget: target.budget.monthly } : {}),
    ...(budgetApproval ? { budgetApproval } : {}),
  };
}
