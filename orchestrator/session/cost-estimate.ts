import * as path from "node:path";
import { estimateCost, type CostEstimate } from "../../environments/cost";
import type { EnvironmentSpec } from "../../environments/model";
import { checkPricesCover, loadPriceList, type PriceList } from "../../environments/pricing";
import type { Workspace } from "../workspace/workspace";
import { renderedCharts } from "./chart-footprints";

/** The checkout's price list for an environment; a bad or incomplete one is bad input (exit 3), found before anything changes. */
export function priceListFor(workspace: Workspace, env: EnvironmentSpec): PriceList {
  const prices = loadPriceList(env.target, path.join(workspace.root, "pricing"));
  checkPricesCover(env, prices);
  return prices;
}

/** The environment's monthly estimate from its rendered charts (`chartFolder`, else its mirror; requests × replicas without either). */
export async function estimateOf(workspace: Workspace, env: EnvironmentSpec, prices: PriceList, chartFolder?: string): Promise<CostEstimate> {
  const folder = chartFolder ?? (env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : undefined);
  const charts = await renderedCharts(env, folder, path.join(workspace.dataDir, "cache"));
  if (!charts) return estimateCost({ env, prices });
  return estimateCost({
    env,
    prices,
    footprints: new Map([...charts].map(([id, chart]) => [id, chart.requests])),
    billables: new Map([...charts].map(([id, chart]) => [id, chart.billables])),
  });
}
