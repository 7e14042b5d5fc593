import * as fs from "node:fs";
import * as path from "node:path";
import { LAYER_NAMES } from "../environments/layers";
import type { ChartRef, EnvironmentSpec } from "../environments/model";

/** Where Helm takes a chart from: a repository, or a local mirror directory (air-gapped installs). */
export type ChartSource =
  | { readonly kind: "repository" }
  | { readonly kind: "mirror"; readonly dir: string };

export type ResolvedChart =
  | { readonly kind: "repository"; readonly chart: string; readonly version: string; readonly repo: string }
  | { readonly kind: "local"; readonly path: string };

/** Candidate paths for a chart in a mirror, in the order they are tried. Pure. */
export function mirrorCandidates(dir: string, chart: ChartRef): string[] {
  const version = chart.version.replace(/^v/, "");
  return [
    path.join(dir, `${chart.name}-${chart.version}.tgz`),
    path.join(dir, `${chart.name}-${version}.tgz`),
    path.join(dir, chart.name),
  ];
}

export function resolveChart(source: ChartSource, chart: ChartRef, exists: (file: string) => boolean = fs.existsSync): ResolvedChart {
  if (source.kind === "repository") return { kind: "repository", chart: chart.name, version: chart.version, repo: chart.repository };
  const candidates = mirrorCandidates(source.dir, chart);
  const found = candidates.find(exists);
  if (!found) {
    throw new Error(
      `chart ${chart.name} ${chart.version} is not in the chart mirror ${source.dir} (looked for ${candidates.map((c) => path.basename(c)).join(", ")}); ` +
        `copy it there with \`helm pull ${chart.repository}/${chart.name} --version ${chart.version} -d ${source.dir}\``,
    );
  }
  return { kind: "local", path: found };
}

export interface MirrorEntry {
  readonly layer: string;
  readonly component: string;
  readonly chart: string;
  readonly version: string;
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
        present: mirrorCandidates(mirrorDir, settings.chart).some(exists),
      });
    }
  }
  return entries;
}
