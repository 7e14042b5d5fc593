import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorCandidates } from "../../components/chart-source";
import { releaseValues, valuesContextOf } from "../../components/chart-values";
import { loadEnvironment } from "../../environments/load";
import type { ComponentSettings, EnvironmentSpec } from "../../environments/model";
import { LAYER_NAMES, type LayerName } from "../../environments/layers";
import { CHART_SOURCE } from "./chart-source";

/** Every environment the values contract covers. */
export const ENVIRONMENTS = ["local", "dev", "staging", "prod", "dev-azure"];

/** One enabled component of one environment, with the real chart archive and the values the stacks compute. */
export interface ChartCase {
  readonly env: EnvironmentSpec;
  readonly layer: LayerName;
  readonly component: string;
  readonly settings: ComponentSettings;
  readonly archive: string;
  readonly values: Record<string, unknown>;
}

export function chartCases(environments: readonly string[]): ChartCase[] {
  return environments.flatMap((name) => {
    const env = loadEnvironment(name);
    return LAYER_NAMES.filter((layer) => env.layers[layer].enabled).flatMap((layer) =>
      Object.entries(env.layers[layer].components)
        .filter(([, settings]) => settings.enabled)
        .map(([component, settings]) => ({
          env,
          layer,
          component,
          settings,
          archive: mirrorCandidates(CHART_SOURCE, settings.chart).find(fs.existsSync) ?? path.join(CHART_SOURCE, `${settings.chart.name}-${settings.chart.version}.tgz`),
          values: releaseValues(component, settings, valuesContextOf(env)),
        })),
    );
  });
}
