import { expect } from "chai";
import type { CostDelta } from "../../../environments/cost-delta";
import type { PromotionReport } from "../../../orchestrator/model/promotion-report";
import { promotionEvents } from "../../../orchestrator/notify/events";
import { renderChangelog } from "../../../orchestrator/promote/changelog";
import { budgetGate } from "../../../orchestrator/promote/gates";
import { valueCauses } from "../../../orchestrator/promote/promotion-cost";

const DELTA: CostDelta = {
  currency: "USD",
  layers: [{ layer: "observability", before: 100, after: 312, delta: 212, causes: ["mimir ingester.replicas 3 → 5"] }],
  total: { before: 900, after: 973, delta: 73 },
};

const REPORT: PromotionReport = {
  id: "p1",
  source: "staging",
  target: "prod",
  startedAt: "2026-12-05T00:00:00Z",
  result: "promoted",
  gates: [{ gate: "budget", passed: true, reason: "above budget (estimate USD 973.00/month, budget USD 950.00), approved: launch week" }],
  stacks: [],
  preview: {},
  applied: {},
  cost: { prices: "list prices of 2025-01-15", delta: DELTA, budget: 950, budgetApproval: "launch week" },
};

describe("promotion cost and budget", () => {
  it("passes the budget gate when the target sets no budget or stays within it", () => {
    expect(budgetGate("prod", 973, "USD", undefined, undefined)).to.deep.equal({ gate: "budget", passed: true, reason: "prod sets no budget" });
    expect(budgetGate("prod", 973, "USD", 1000, undefined)).to.deep.equal({ gate: "budget", passed: true, reason: "within budget: estimate USD 973.00/month, budget USD 1000.00" });
  });

  it("refuses a promotion above the budget, saying which field to raise or how to approve", () => {
    const gate = budgetGate("prod", 973, "USD", 950, undefined);
    expect(gate.passed).to.equal(false);
    expect(gate.reason).to.equal('above budget: estimate USD 973.00/month, budget USD 950.00; raise budget.monthly in the environment file, or pass --approve-budget --reason "<why>"');
  });

  it("lets an approved promotion above the budget through and records the reason", () => {
    expect(budgetGate("prod", 973, "USD", 950, "launch week")).to.deep.equal(REPORT.gates[0]);
  });

  it("names the promoted value changes per layer as causes", () => {
    const causes = valueCauses([
      {
        layer: "observability",
        source: "observability-staging",
        target: "observability-prod",
        before: { components: {} },
        after: { components: {} },
        changes: [
          { component: "mimir", field: "values", from: { ingester: { replicas: 3 } }, to: { ingester: { replicas: 5 } } },
          { component: "mimir", field: "chartVersion", from: "5.6.0", to: "5.7.0" },
        ],
      },
    ]);
    expect([...causes]).to.deep.equal([["observability", ["mimir ingester.replicas 3 → 5"]]]);
  });

  it("puts the delta per layer, its cause, the price list and the budget approval in the change log", () => {
    const markdown = renderChangelog(REPORT);
    expect(markdown).to.include("## Cost\n\nMonthly estimate at list prices of 2025-01-15; an estimate, not a bill.");
    expect(markdown).to.include("- observability +USD 212.00/month: mimir ingester.replicas 3 → 5");
    expect(markdown).to.include("- total +USD 73.00/month (USD 900.00 → 973.00)");
    expect(markdown).to.include("- budget: USD 950.00/month; exceeded with approval: launch week");
  });

  it("tells the notification channels what the promotion adds to the month", () => {
    const [event] = promotionEvents(REPORT, "2026-12-05T00:00:00Z");
    expect(event!.reason).to.equal("from staging; estimated cost +USD 73.00/month (observability +212.00) at list prices of 2025-01-15");
  });
});
