import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import pLimit from "p-limit";
import { mirrorCandidates } from "../../components/chart-source";
import { releaseValues, valuesContextOf } from "../../components/chart-values";
import type { Amount } from "../../environments/capacity";
import { chartBillables, type BillableObject, type Billables } from "../../environments/billable-objects";
import { chartFootprint, NAMESPACE_DEFAULT_REQUESTS, type PodMaker } from "../../environments/footprint";
import type { EnvironmentSpec } from "../../environments/model";
import { parseCpu, parseMemory } from "../../environments/quantity";
import { PreflightError } from "../model/preflight-error";
import { helmTemplate } from "../releases/helm-template";
import { canonicalJson } from "../run/fingerprint";
import { LAYER_NAMES } from "../../environments/layers";

/** What one rendered chart runs and what it makes that is billed apart from nodes. */
export interface RenderedChart {
  readonly requests: Amount;
  readonly billables: Billables;
}

/**
 * What each enabled component's chart really runs ("layer/component" -> requests), rendered from
 * the environment's chart mirror with the values the stacks compute. Undefined without a mirror.
 */
export async function renderedFootprints(env: EnvironmentSpec, mirror: string | undefined, cacheDir?: string): Promise<Map<string, Amount> | undefined> {
  const charts = await renderedCharts(env, mirror, cacheDir);
  return charts && new Map([...charts].map(([id, chart]) => [id, chart.requests]));
}

/** Each enabled component's rendered chart: its requests, volumes and load balancers. Undefined without a mirror. */
export async function renderedCharts(env: EnvironmentSpec, mirror: string | undefined, cacheDir?: string): Promise<Map<string, RenderedChart> | undefined> {
  if (!mirror) return undefined;
  const defaults = { cpuMillis: parseCpu(NAMESPACE_DEFAULT_REQUESTS.cpu)!, memoryBytes: parseMemory(NAMESPACE_DEFAULT_REQUESTS.memory)! };
  const limit = pLimit(2);
  const components = LAYER_NAMES.filter((layer) => env.layers[layer].enabled).flatMap((layer) =>
    Object.entries(env.layers[layer].components)
      .filter(([, settings]) => settings.enabled)
      .map(([key, settings]) => ({ id: `${layer}/${key}`, field: `layers.${layer}.components.${key}`, key, settings })),
  );
  const rendered = await Promise.all(
    components.map(({ id, field, key, settings }) =>
      limit(async () => {
        const archive = mirrorCandidates(mirror, settings.chart).find(fs.existsSync);
        if (!archive) return undefined;
        const values = releaseValues(key, settings, valuesContextOf(env));
        // A footprint depends only on the archive, the values and the node count: rendering it once is enough.
        const cached = cacheDir ? footprintCache(cacheDir, archive, values, env.cluster.desiredNodes) : undefined;
        const known = cached?.read();
        if (known) return [id, known] as const;
        const result = await helmTemplate(archive, settings.chart.name, "platform", values);
        if (!result.ok) {
          // Bad input like any other (exit 3): Helm refused the values the environment gives the chart (values.schema.json, a template's own check).
          throw new PreflightError(
            `${env.file}: ${id}: the chart ${settings.chart.name} ${settings.chart.version} does not render with these values: ${result.error}\nfix ${field} (values, replicas, resources) and run again; nothing was deployed.`,
          );
        }
        const chart = { requests: chartFootprint(result.objects as PodMaker[], env.cluster.desiredNodes, defaults), billables: chartBillables(result.objects as BillableObject[]) };
        cached?.write(chart);
        return [id, chart] as const;
      }),
    ),
  );
  return new Map(rendered.filter((entry) => entry !== undefined));
}

function footprintCache(dir: string, archive: string, values: unknown, nodes: number): { read(): RenderedChart | undefined; write(chart: RenderedChart): void } {
  const stat = fs.statSync(archive);
  const key = createHash("sha256").update(canonicalJson({ archive: path.resolve(archive), size: stat.size, modified: stat.mtimeMs, values, nodes, holds: "requests+billables" })).digest("hex").slice(0, 32);
  const file = path.join(dir, "footprints", `${key}.json`);
  return {
    read: () => {
      try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as RenderedChart;
      } catch {
        return undefined;
      }
    },
    write: (chart) => {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(chart));
    },
  };
}
