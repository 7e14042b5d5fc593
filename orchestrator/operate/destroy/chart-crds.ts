import { execFile } from "node:child_process";
import * as path from "node:path";
import pLimit from "p-limit";
import { parse } from "yaml";
import { LAYER_NAMES } from "../../../environments/layers";
import type { EnvironmentSpec } from "../../../environments/model";
import { archiveFolders, findArchive } from "../../releases/chart-archives";

export interface ChartCrds {
  /** CRD name -> the chart whose `crds/` directory ships it. */
  readonly crds: ReadonlyMap<string, string>;
  /** Release names of the environment's components (Helm's release annotation on templated CRDs). */
  readonly releases: ReadonlySet<string>;
  /** Charts with no archive at hand: their `crds/` files are unknown. */
  readonly unknown: readonly string[];
}

/**
 * What the environment's charts ship in their `crds/` directories (`helm show crds`, subcharts
 * included), from the first folder that holds each pinned archive: the environment's mirror,
 * then `chartFolders`.
 */
export async function chartCrds(env: EnvironmentSpec, root: string, chartFolders: readonly string[], helm = "helm"): Promise<ChartCrds> {
  const folders = archiveFolders(env, root, chartFolders);
  const charts = LAYER_NAMES.filter((layer) => env.layers[layer].enabled).flatMap((layer) => Object.values(env.layers[layer].components).filter((c) => c.enabled).map((c) => c.chart));
  const unknown: string[] = [];
  const limit = pLimit(2);
  const shipped = await Promise.all(
    charts.map((chart) =>
      limit(async () => {
        const archive = findArchive(folders, chart);
        if (!archive) unknown.push(chart.name);
        return archive ? showCrds(helm, archive) : [];
      }),
    ),
  );
  // Charts can ship the same CRD (mimir bundles the Prometheus operator's): the first chart in layer order names it.
  const crds = new Map<string, string>();
  shipped.forEach((names, index) => names.forEach((name) => crds.has(name) || crds.set(name, charts[index]!.name)));
  return { crds, releases: new Set(charts.map((chart) => chart.name)), unknown: unknown.sort() };
}

function showCrds(helm: string, archive: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(helm, ["show", "crds", archive], { maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`helm show crds ${path.basename(archive)}: ${(stderr || error.message).trim().split("\n")[0]}`));
      const docs = yamlObjects(stdout).map((text) => parse(text) as { kind?: string; metadata?: { name?: string } } | null);
      resolve(docs.filter((doc) => doc?.kind === "CustomResourceDefinition" && doc.metadata?.name).map((doc) => doc!.metadata!.name!));
    });
  });
}

/**
 * Splits `helm show crds` output into one text per object. Helm prints the chart's files one after
 * another, and files without a leading `---` run into each other (strimzi's, tekton's), so a new
 * object also starts where a top-level key repeats. Pure.
 */
export function yamlObjects(text: string): string[] {
  const objects: string[] = [];
  let lines: string[] = [];
  let keys = new Set<string>();
  const flush = () => {
    if (lines.some((line) => /^[A-Za-z]/.test(line))) objects.push(lines.join("\n"));
    lines = [];
    keys = new Set();
  };
  for (const line of text.split("\n")) {
    if (/^---/.test(line)) {
      flush();
      continue;
    }
    const key = /^([A-Za-z][\w-]*):/.exec(line)?.[1];
    if (key && keys.has(key)) flush();
    if (key) keys.add(key);
    lines.push(line);
  }
  flush();
  return objects;
}
