import { mirrorCandidates } from "../../components/chart-source";
import type { EnvironmentSpec } from "../../environments/model";
import { LAYER_NAMES } from "../../orchestrator/layers";
import type { CrdKind } from "./stand-in-chart";

/** CRDs the platform's own resources need from a chart (the mesh layer creates a PeerAuthentication). */
const CHART_CRDS: Readonly<Record<string, readonly CrdKind[]>> = {
  base: [{ group: "security.istio.io", kind: "PeerAuthentication", plural: "peerauthentications", versions: ["v1", "v1beta1"] }],
};

export interface MirrorEntry {
  readonly layer: string;
  readonly component: string;
  readonly chart: string;
  readonly version: string;
  readonly present: boolean;
  readonly crds: readonly CrdKind[];
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
        present: mirrorCandidates(mirrorDir, settings.chart).some(exists),
        crds: CHART_CRDS[settings.chart.name] ?? [],
      });
    }
  }
  return entries;
}
