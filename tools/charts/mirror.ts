import { mirrorCandidates } from "../../components/chart-source";
import type { EnvironmentSpec } from "../../environments/model";
import { LAYER_NAMES } from "../../orchestrator/layers";

export interface MirrorEntry {
  readonly layer: string;
  readonly component: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly present: boolean;
}

/** Every chart an environment's enabled layers install, and whether the mirror has it. Pure given `exists`. */
export function mirrorContents(env: EnvironmentSpec, mirrorDir: string, exists: (file: string) => boolean): MirrorEntry[] {
  const entries: MirrorEntry[] = [];
  for (const layer of LAYER_NAMES) {
    if (!env.layers[layer].enabled) continue;
    for (const [component, settings] of Object.entries(env.layers[layer].components)) {
      if (!settings.enabled) continue;
      entries.push({
        layer,
        component,
        chart: settings.chart.name,
        version: settings.chart.version,
        repository: settings.chart.repository,
        present: mirrorCandidates(mirrorDir, settings.chart).some(exists),
      });
    }
  }
  return entries;
}
