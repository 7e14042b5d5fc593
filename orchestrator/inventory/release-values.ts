import { valuesFor } from "../../components/chart-values";
import { deepMerge } from "../../components/helm-release";
import type { ComponentSettings, EnvironmentSpec } from "../../environments/model";

/** The values a component's release is installed with, exactly as its layer component computes them. */
export function installedValues(_env: EnvironmentSpec, component: string, settings: ComponentSettings): Record<string, unknown> {
  return deepMerge(valuesFor(component, settings), settings.values);
}
