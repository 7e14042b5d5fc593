import type { EnvironmentSpec } from "../../environments/model";
import { diffRelease, promotedRelease, releaseOf, type LayerRelease } from "../../environments/release";
import type { StackPromotion } from "../model/promotion-report";
import { LAYER_NAMES, stackName, type LayerName } from "../../environments/layers";

/**
 * Per layer enabled in both environments: the target's current release, the release it gets
 * (the source's, limited to components the target enables), and the difference. Pure.
 */
export function planPromotion(
  source: EnvironmentSpec,
  target: EnvironmentSpec,
  currentRelease: (env: EnvironmentSpec, layer: LayerName) => LayerRelease | undefined,
  layers?: readonly LayerName[],
): StackPromotion[] {
  return LAYER_NAMES.filter((layer) => source.layers[layer].enabled && target.layers[layer].enabled && (!layers || layers.includes(layer))).map((layer) => {
    const from = currentRelease(source, layer) ?? releaseOf(source.layers[layer]);
    const before = currentRelease(target, layer) ?? releaseOf(target.layers[layer]);
    const after = promotedRelease(from, before);
    return { layer, source: stackName(layer, source.name), target: stackName(layer, target.name), before, after, changes: diffRelease(before, after) };
  });
}

export function changedStacks(plan: readonly StackPromotion[]): StackPromotion[] {
  return plan.filter((stack) => stack.changes.length > 0);
}
