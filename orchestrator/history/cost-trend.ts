import * as path from "node:path";
import type { CostBasis } from "../../environments/cost-delta";
import { JsonLines } from "./jsonl";

/** The estimate of what one successful up deployed, for the trend and the next preview's delta. */
export interface CostEntry extends CostBasis {
  readonly env: string;
  readonly at: string;
  readonly currency: string;
  /** The price list and its date. */
  readonly prices: string;
  /** Why the up went above the budget, when it did. */
  readonly budgetApproval?: string;
}

/** The checkout's estimates, `.platform/history/costs.jsonl`, beside the journal. */
export function costTrend(dataDir: string): JsonLines<CostEntry> {
  return new JsonLines(path.join(dataDir, "history", "costs.jsonl"));
}

/** The newest estimate recorded for an environment. Pure. */
export function lastEstimate(entries: readonly CostEntry[], env: string): CostEntry | undefined {
  return entries.filter((entry) => entry.env === env).at(-1);
}
