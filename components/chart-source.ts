import * as fs from "node:fs";
import * as path from "node:path";
import type { ChartRef } from "../environments/model";

/** Where Helm takes a chart from: a repository, or a local mirror directory (air-gapped installs). */
export type ChartSource =
  | { readonly kind: "repository" }
  | { readonly kind: "mirror"; readonly dir: string };

export type ResolvedChart =
  | { readonly kind: "repository"; readonly chart: string; readonly version: string; readonly repo: string }
  | { readonly kind: "oci"; readonly chart: string; readonly version: string }
  | { readonly kind: "local"; readonly path: string };

/** Candidate paths for a chart in a mirror, in the order they are tried: packaged archives only. Pure. */
export function mirrorCandidates(dir: string, chart: ChartRef): string[] {
  const version = chart.version.replace(/^v/, "");
  return [
    path.join(dir, `${chart.name}-${chart.version}.tgz`),
    path.join(dir, `${chart.name}-${version}.tgz`),
  ];
}

export function resolveChart(source: ChartSource, chart: ChartRef, exists: (file: string) => boolean = fs.existsSync): ResolvedChart {
  if (source.kind === "repository") {
    // OCI registries have no index: Helm takes the chart by its full reference instead of name + repo.
    if (chart.repository.startsWith("oci://")) return { kind: "oci", chart: `${chart.repository}/${chart.name}`, version: chart.version };
    return { kind: "repository", chart: chart.name, version: chart.version, repo: chart.repository };
  }
  const candidates = mirrorCandidates(source.dir, chart);
  const found = candidates.find(exists);
  if (!found) {
    throw new Error(
      `chart ${chart.name} ${chart.version} is not in the chart mirror ${source.dir} (looked for ${candidates.map((c) => path.basename(c)).join(", ")}); ` +
        `fill the mirror with \`npm run charts -- fill --from <folder of chart archives>\` (or \`--from upstream\` where the network allows)`,
    );
  }
  return { kind: "local", path: found };
}
