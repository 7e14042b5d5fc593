import * as path from "node:path";
import { estimateCost, type CostEstimate } from "../../environments/cost";
import { costDelta, formatCostDelta, type CostDelta } from "../../environments/cost-delta";
import { costTrend, lastEstimate } from "../history/cost-trend";
import { RefusedError } from "../model/refused-error";
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

/** What an up or a preview found about cost: the estimate, its change since the last up, the budget. */
export interface CostFinding {
  /** The price list and its date. */
  readonly prices: string;
  readonly estimate: CostEstimate;
  readonly sinceLastUp?: CostDelta;
  readonly budget?: number;
  readonly budgetApproval?: string;
}

export interface CostCheck {
  /** up refuses an estimate above the budget; preview only warns. */
  readonly enforceBudget: boolean;
  readonly budgetApproval?: string;
}

/** The label every cost figure carries: which prices, of which date. Pure. */
export function pricesLabel(prices: PriceList): string {
  return `${prices.notional ? "notional prices" : "list prices"} of ${prices.date}`;
}

/** Estimates the environment, says its change since the last up, and holds it to the budget: above it, an up is refused (exit 5) before anything changes. */
export async function checkCost(workspace: Workspace, env: EnvironmentSpec, check: CostCheck, say: (line: string) => void): Promise<CostFinding> {
  const prices = priceListFor(workspace, env);
  const label = pricesLabel(prices);
  const estimate = await estimateOf(workspace, env, prices);
  const last = lastEstimate(costTrend(workspace.dataDir).readAll(), env.name);
  const sinceLastUp = last ? costDelta(last, estimate) : undefined;
  const money = (amount: number) => `${prices.currency} ${amount.toFixed(2)}`;
  say(`monthly estimate for ${env.name}: ${money(estimate.total)} at ${label} (an estimate, not a bill; \`npm run cost -- --env ${env.name}\` explains it)`);
  if (sinceLastUp) for (const line of formatCostDelta(sinceLastUp)) say(`  since the last up: ${line}`);
  const budget = env.budget?.monthly;
  const finding: CostFinding = { prices: label, estimate, ...(sinceLastUp ? { sinceLastUp } : {}), ...(budget !== undefined ? { budget } : {}) };
  if (budget === undefined || estimate.total <= budget) return finding;
  const above = `the estimate ${money(estimate.total)}/month is above the budget of ${env.name}, ${money(budget)} (${env.file}: budget.monthly)`;
  if (!check.enforceBudget) {
    say(`warning: ${above}; an up would be refused`);
    return finding;
  }
  if (!check.budgetApproval) throw new RefusedError(`${above}; raise budget.monthly, lower the cost, or pass --approve-budget --reason "<why>"; nothing was changed`);
  say(`${above}; approved: ${check.budgetApproval}`);
  return { ...finding, budgetApproval: check.budgetApproval };
}
