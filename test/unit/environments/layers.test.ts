import { expect } from "chai";
import { parseStackName, stackName } from "../../../environments/layers";

describe("stack names", () => {
  it("round-trips <layer>-<env> even when the environment has a dash", () => {
    expect(parseStackName(stackName("ingress", "prod-eu"))).to.deep.equal({ layer: "ingress", env: "prod-eu" });
  });
  it("rejects names whose first part is not a layer", () => {
    expect(parseStackName("web-dev")).to.equal(undefined);
    expect(parseStackName("foundation-")).to.equal(undefined);
  });
});
