import { releaseValues, valuesContextOf } from "../../components/chart-values";
import type { ComponentSettings, EnvironmentSpec } from "../../environments/model";

/** The values a component's release is installed with, exactly as its layer component computes them. */
export function installedValues(env: EnvironmentSpec, component: string, settings: ComponentSettings): Record<string, unknown> {
  return releaseValues(component, settings, valuesContextOf(env));
}
