import { expect } from "chai";
import * as path from "node:path";
import { loadEnvironment } from "../../../environments/load";
import type { EnvironmentSpec } from "../../../environments/model";
import { exitCodeFor } from "../../../orchestrator/cli/main";
import { costTrend } from "../../../orchestrator/history/cost-trend";
import { RefusedError } from "../../../orchestrator/model/refused-error";
import { checkCost } from "../../../orchestrator/session/cost-estimate";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

const ENVIRONMENTS = path.resolve(__dirname, "../../../environments");

describe("cost check of an up and a preview", () => {
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(ENVIRONMENTS)));
  afterEach(() => workspace.dispose());
  const dev = loadEnvironment("dev");
  const withBudget = (monthly: number): EnvironmentSpec => ({ ...dev, budget: { monthly } });

  it("refuses an up above the budget with exit 5, naming the file, the field and the way through", async () => {
    const error = await checkCost(workspace, withBudget(1), { enforceBudget: true }, () => {}).then(
      () => expect.fail("expected a refusal"),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(RefusedError);
    expect(exitCodeFor(error)).to.equal(5);
    expect((error as Error).message).to.match(/^the estimate USD [\d.]+\/month is above the budget of dev, USD 1\.00 \(environments\/dev\.yaml: budget\.monthly\); raise budget\.monthly, lower the cost, or pass --approve-budget --reason "<why>"; nothing was changed$/);
  });

  it("lets an approved up above the budget through and keeps the reason", async () => {
    const finding = await checkCost(workspace, withBudget(1), { enforceBudget: true, budgetApproval: "launch week" }, () => {});
    expect(finding.budgetApproval).to.equal("launch week");
  });

  it("only warns in a preview above the budget", async () => {
    const said: string[] = [];
    const finding = await checkCost(workspace, withBudget(1), { enforceBudget: false }, (line) => said.push(line));
    expect(finding.budget).to.equal(1);
    expect(said.some((line) => line.startsWith("warning: the estimate") && line.endsWith("an up would be refused"))).to.equal(true);
    expect(said[0]).to.match(/^monthly estimate for dev: USD [\d.]+ at list prices of \d{4}-\d{2}-\d{2} \(an estimate, not a bill/);
  });

  it("says the change since the last recorded up, with its cause", async () => {
    const before = await checkCost(workspace, dev, { enforceBudget: true }, () => {});
    costTrend(workspace.dataDir).append({ env: "dev", at: "2026-12-01T00:00:00Z", currency: "USD", prices: before.prices, total: before.estimate.total, perLayer: before.estimate.perLayer, components: before.estimate.components });
    const emissary = dev.layers.ingress.components.emissary!;
    const scaled = { ...dev, layers: { ...dev.layers, ingress: { ...dev.layers.ingress, components: { ...dev.layers.ingress.components, emissary: { ...emissary, replicas: 3 } } } } };
    const said: string[] = [];
    const after = await checkCost(workspace, scaled, { enforceBudget: true }, (line) => said.push(line));
    expect(after.sinceLastUp!.layers.map((l) => [l.layer, l.causes])).to.deep.equal([["ingress", [`emissary replicas ${emissary.replicas} → 3`]]]);
    expect(said).to.include(`  since the last up: ingress +USD ${after.sinceLastUp!.layers[0]!.delta.toFixed(2)}/month: emissary replicas ${emissary.replicas} → 3`);
  });
});
