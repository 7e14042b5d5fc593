import * as fs from "node:fs";
import pLimit from "p-limit";
import { mirrorCandidates } from "../../components/chart-source";
import { releaseValues, valuesContextOf } from "../../components/chart-values";
import type { Amount } from "../../environments/capacity";
import { chartFootprint, NAMESPACE_DEFAULT_REQUESTS, type PodMaker } from "../../environments/footprint";
import type { EnvironmentSpec } from "../../environments/model";
import { parseCpu, parseMemory } from "../../environments/quantity";
import { helmTemplate } from "../charts/helm-template";
import { LAYER_NAMES } from "../../environments/layers";

/**
 * What each enabled component's chart really runs ("layer/component" -> requests), rendered from
 * the environment's chart mirror with the values the stacks compute. Undefined without a mirror.
 */
export async function renderedFootprints(env: EnvironmentSpec, mirror: string | undefined): Promise<Map<string, Amount> | undefined> {
  if (!mirror) return undefined;
  const defaults = { cpuMillis: parseCpu(NAMESPACE_DEFAULT_REQUESTS.cpu)!, memoryBytes: parseMemory(NAMESPACE_DEFAULT_REQUESTS.memory)! };
  const limit = pLimit(2);
  const components = LAYER_NAMES.filter((layer) => env.layers[layer].enabled).flatMap((layer) =>
    Object.entries(env.layers[layer].components)
      .filter(([, settings]) => settings.enabled)
      .map(([key, settings]) => ({ id: `${layer}/${key}`, key, settings })),
  );
  const rendered = await Promise.all(
    components.map(({ id, key, settings }) =>
      limit(async () => {
        const archive = mirrorCandidates(mirror, settings.chart).find(fs.existsSync);
        if (!archive) return undefined;
        const result = await helmTemplate(archive, settings.chart.name, "platform", releaseValues(key, settings, valuesContextOf(env)));
        if (!result.ok) throw new Error(`${env.file}: ${id}: the chart ${settings.chart.name} ${settings.chart.version} does not render with these values: ${result.error}`);
        return [id, chartFootprint(result.objects as PodMaker[], env.cluster.desiredNodes, defaults)] as const;
      }),
    ),
  );
  return new Map(rendered.filter((entry) => entry !== undefined));
}
