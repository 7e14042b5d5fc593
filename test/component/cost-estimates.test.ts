import { expect } from "chai";
import { estimateCost, type CostEstimate } from "../../environments/cost";
import { loadEnvironment } from "../../environments/load";
import { checkPricesCover, loadPriceList } from "../../environments/pricing";
import { formatCostEstimate } from "../../orchestrator/cli/output/cost";

const ENVIRONMENTS = ["dev", "staging", "prod"] as const;

function estimate(name: string): CostEstimate {
  const env = loadEnvironment(name);
  const prices = loadPriceList(env.target);
  checkPricesCover(env, prices);
  return estimateCost({ env, prices });
}

/** Works an explanation such as `5 desired × USD 0.192/h × 730 h` or `36 GiB claimed × USD 0.08/GiB-month` back into its figure. */
function figureOf(explanation: string): number {
  const factors = [...explanation.split(",")[0]!.matchAll(/(?:^|× )(?:USD )?([\d.]+)/g)].map((m) => Number(m[1]));
  return factors.reduce((product, factor) => product * factor, 1);
}

describe("cost estimates of dev, staging and prod", () => {
  for (const name of ENVIRONMENTS) {
    describe(name, () => {
      const first = estimate(name);

      it("is the same estimate every time it is made", () => {
        expect(estimate(name)).to.deep.equal(first);
      });

      it("explains each infrastructure line with the arithmetic that gives its figure", () => {
        for (const line of first.infrastructure) expect(figureOf(line.explanation), `${line.item}: ${line.explanation}`).to.be.closeTo(line.monthly, 0.01);
      });

      it("adds up: the lines make the total, and the workloads and the unallocated rest make the node cost", () => {
        expect(first.infrastructure.reduce((sum, line) => sum + line.monthly, 0)).to.be.closeTo(first.total, 1e-6);
        const nodes = first.infrastructure.find((line) => line.item.startsWith("nodes"))!.monthly;
        const allocated = Object.values(first.perLayer).reduce((sum, layer) => sum + layer!, 0);
        expect(allocated + first.unallocated).to.be.closeTo(nodes, 1e-6);
        expect(first.components.reduce((sum, part) => sum + part.monthly, 0)).to.be.closeTo(allocated, 1e-6);
      });

      it("names the price list and its date, and calls itself an estimate, not a bill", () => {
        const text = formatCostEstimate(first);
        expect(text.split("\n")[0]).to.equal(`cost estimate for ${name}, per month at list prices of ${first.priceList.date} (${first.priceList.source}); an estimate, not a bill`);
      });
    });
  }

  it("prices prod's larger on-demand nodes above staging and dev", () => {
    const [dev, staging, prod] = ENVIRONMENTS.map((name) => estimate(name).total);
    expect(prod).to.be.above(staging!);
    expect(prod).to.be.above(dev!);
  });
});
