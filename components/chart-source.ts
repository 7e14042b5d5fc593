import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { LAYER_NAMES } from "../environments/layers";
import type { ChartRef, EnvironmentSpec } from "../environments/model";

/** Where Helm takes a chart from: a repository, or a local mirror directory (air-gapped installs). */
export type ChartSource =
  | { readonly kind: "repository" }
  | { readonly kind: "mirror"; readonly dir: string };

export type ResolvedChart =
  | { readonly kind: "repository"; readonly chart: string; readonly version: string; readonly repo: string }
  | { readonly kind: "oci"; readonly chart: string; readonly version: string }
  | { readonly kind: "local"; readonly path: string };

/** What the chart lookup reads of a mirror: the disk, or a stand-in in tests. */
export interface MirrorReader {
  /** True when the path is there: an archive, or a chart directory. */
  readonly exists: (file: string) => boolean;
  /** The version a chart directory's Chart.yaml declares, or undefined when it declares none. */
  readonly chartVersion: (dir: string) => string | undefined;
}

export const diskMirror: MirrorReader = {
  exists: fs.existsSync,
  chartVersion: (dir) => {
    try {
      const version = (parse(fs.readFileSync(path.join(dir, "Chart.yaml"), "utf8")) as { version?: unknown } | null)?.version;
      return version === undefined || version === null ? undefined : String(version);
    } catch {
      return undefined;
    }
  },
};

/** Candidate paths for a chart in a mirror, in the order they are tried. Pure. */
export function mirrorCandidates(dir: string, chart: ChartRef): string[] {
  const version = chart.version.replace(/^v/, "");
  return [
    path.join(dir, `${chart.name}-${chart.version}.tgz`),
    path.join(dir, `${chart.name}-${version}.tgz`),
    path.join(dir, chart.name),
  ];
}

export type MirrorLookup =
  | { readonly kind: "found"; readonly path: string }
  /** `found` says what the mirror has instead, when it has the chart at another version. */
  | { readonly kind: "missing"; readonly candidates: readonly string[]; readonly found?: string };

/**
 * Finds the pinned version of a chart in a mirror: an archive named for that version, or a
 * chart directory whose Chart.yaml declares it. A directory of another version does not count:
 * installing it would deploy a version nobody pinned.
 */
export function lookUpChart(dir: string, chart: ChartRef, reader: MirrorReader = diskMirror): MirrorLookup {
  const [archive, bareArchive, directory] = mirrorCandidates(dir, chart) as [string, string, string];
  const candidates = [archive, bareArchive, directory];
  const archiveFound = [archive, bareArchive].find(reader.exists);
  if (archiveFound) return { kind: "found", path: archiveFound };
  if (!reader.exists(directory)) return { kind: "missing", candidates };
  const held = reader.chartVersion(directory);
  const bare = (version: string) => version.replace(/^v/, "");
  if (held !== undefined && bare(held) === bare(chart.version)) return { kind: "found", path: directory };
  const found = held === undefined ? `its directory ${chart.name}/ has no Chart.yaml version` : `its directory ${chart.name}/ holds version ${held}`;
  return { kind: "missing", candidates, found };
}

export function resolveChart(source: ChartSource, chart: ChartRef, reader: MirrorReader = diskMirror): ResolvedChart {
  if (source.kind === "repository") {
    // OCI registries have no index: Helm takes the chart by its full reference instead of name + repo.
    if (chart.repository.startsWith("oci://")) return { kind: "oci", chart: `${chart.repository}/${chart.name}`, version: chart.version };
    return { kind: "repository", chart: chart.name, version: chart.version, repo: chart.repository };
  }
  const lookup = lookUpChart(source.dir, chart, reader);
  if (lookup.kind === "found") return { kind: "local", path: lookup.path };
  throw new Error(
    `chart ${chart.name} ${chart.version} is not in the chart mirror ${source.dir}${lookup.found ? `: ${lookup.found}` : ""} (looked for ${lookup.candidates.map((c) => path.basename(c)).join(", ")}); ` +
      `fill the mirror with \`npm run charts -- fill --from <folder of chart archives>\` (such as ../shared/charts), or \`--from upstream\` where the network allows`,
  );
}

export interface MirrorEntry {
  readonly layer: string;
  readonly component: string;
  readonly chart: string;
  readonly version: string;
  readonly repository: string;
  readonly present: boolean;
  /** What the mirror has instead, when it has the chart at another version. */
  readonly found?: string;
}

/** Every chart an environment's enabled layers install, and whether the mirror has its pinned version. Pure given `reader`. */
export function mirrorContents(env: EnvironmentSpec, mirrorDir: string, reader: MirrorReader = diskMirror): MirrorEntry[] {
  const entries: MirrorEntry[] = [];
  for (const layer of LAYER_NAMES) {
    if (!env.layers[layer].enabled) continue;
    for (const [component, settings] of Object.entries(env.layers[layer].components)) {
      if (!settings.enabled) continue;
      const lookup = lookUpChart(mirrorDir, settings.chart, reader);
      entries.push({
        layer,
        component,
        chart: settings.chart.name,
        version: settings.chart.version,
        repository: settings.chart.repository,
        present: lookup.kind === "found",
        ...(lookup.kind === "missing" && lookup.found ? { found: lookup.found } : {}),
      });
    }
  }
  return entries;
}
