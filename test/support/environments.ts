import { LAYER_DEPENDENCIES, LAYER_NAMES, type LayerName } from "../../environments/layers";
import type { PlanningEnvironment } from "../../orchestrator/plan/plan";

/** A planning view of an environment: all layers enabled with default dependencies, then `changes`. */
export function planningEnv(
  name = "dev",
  changes: Partial<Record<LayerName, { enabled?: boolean; dependsOn?: LayerName[] }>> = {},
): PlanningEnvironment {
  const layers = Object.fromEntries(
    LAYER_NAMES.map((layer) => [layer, { enabled: changes[layer]?.enabled ?? true, dependsOn: changes[layer]?.dependsOn ?? [...LAYER_DEPENDENCIES[layer]] }]),
  ) as unknown as PlanningEnvironment["layers"];
  return { name, file: `environments/${name}.yaml`, layers };
}
