import * as path from "node:path";
import { expect } from "chai";
import { ConfigError } from "../../../environments/config-error";
import { listEnvironments, loadEnvironment } from "../../../environments/load";
import { checkPricesCover, loadPriceList } from "../../../environments/pricing";
import { exitCodeFor } from "../../../orchestrator/cli/main";

const FIXTURES = path.join(__dirname, "../../fixtures/pricing");

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail("expected a ConfigError");
}

describe("price lists", () => {
  for (const name of listEnvironments()) {
    it(`${name}: its target's price list loads, names currency, date and source, and prices its instance type`, () => {
      const env = loadEnvironment(name);
      const prices = loadPriceList(env.target);
      expect(prices.currency).to.match(/^[A-Z]{3}$/);
      expect(prices.date).to.match(/^\d{4}-\d{2}-\d{2}$/);
      expect(prices.source).to.not.equal("");
      expect(() => checkPricesCover(env, prices)).to.not.throw();
    });
  }

  it("refuses a negative price with exit 3, naming the file and the field", () => {
    const error = refusal(() => loadPriceList("aws", path.join(FIXTURES, "negative-price")));
    expect(exitCodeFor(error)).to.equal(3);
    expect(error.issues).to.have.length(1);
    expect(error.issues[0]!.file).to.match(/negative-price\/aws\.yaml$/);
    expect(error.issues[0]!.path).to.equal("instances.t3.large.hourly");
    expect(error.issues[0]!.message).to.equal("a price cannot be negative");
  });

  it("refuses a list without its currency, naming the field", () => {
    const error = refusal(() => loadPriceList("aws", path.join(FIXTURES, "missing-currency")));
    expect(exitCodeFor(error)).to.equal(3);
    expect(error.issues.map((i) => i.path)).to.deep.equal(["currency"]);
    expect(error.message).to.include("expected the currency the prices are in");
  });

  it("refuses an environment whose instance type the list does not price, naming both files and the field to add", () => {
    const prod = loadEnvironment("prod");
    const env = { ...prod, cluster: { ...prod.cluster, instanceType: "x9.huge" } };
    const error = refusal(() => checkPricesCover(env, loadPriceList("aws")));
    expect(exitCodeFor(error)).to.equal(3);
    expect(error.issues[0]!.file).to.match(/pricing\/aws\.yaml$/);
    expect(error.issues[0]!.path).to.equal("instances.x9.huge");
    expect(error.issues[0]!.message).to.include("used by environments/prod.yaml: cluster.instanceType");
  });

  it("lays negotiated rates over the list, keeping the rest and naming both sources", () => {
    const prices = loadPriceList("aws", path.join(FIXTURES, "negotiated"));
    expect(prices.instances["t3.large"]).to.deep.equal({ hourly: 0.06, vcpu: 2, memoryGiB: 8 });
    expect(prices.controlPlane.hourly).to.equal(0.1);
    expect(prices.date).to.equal("2025-06-01");
    expect(prices.source).to.equal("a negotiated rate (over a test list)");
    expect(prices.files.map((f) => path.basename(f))).to.deep.equal(["aws.yaml", "aws.override.yaml"]);
  });
});
