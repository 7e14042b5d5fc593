import { expect } from "chai";
import { promote, type PromoteOptions } from "../../../orchestrator/promote/promote";
import { SILENT_REPORTER } from "../../../orchestrator/run/progress";
import { environmentFiles } from "../../support/environment-files";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

describe("promote: bad input stops the promotion before anything is touched", () => {
  const files = environmentFiles({ "target.yaml": "extends: base\n" });
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(files.dir)));
  afterEach(() => workspace.dispose());
  after(() => files.dispose());

  const options = (changes: Partial<PromoteOptions>): PromoteOptions => ({
    source: "valid",
    target: "target",
    parallel: 2,
    policyPacks: [],
    verifyTimeoutMs: 1000,
    approve: async () => ({ approved: false }),
    reporter: SILENT_REPORTER,
    ...changes,
  });

  async function refusal(changes: Partial<PromoteOptions>): Promise<Error> {
    try {
      await promote(workspace, options(changes));
    } catch (error) {
      return error as Error;
    }
    throw new Error("the promotion was not refused");
  }

  it("refuses an explicit but empty --layers instead of promoting nothing", async () => {
    expect((await refusal({ layers: [] })).message).to.match(/--layers: names no layer/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal([]);
  });

  it("refuses a missing policy pack", async () => {
    expect((await refusal({ policyPacks: [workspace.policyPack, "/no/such/pack"] })).message).to.match(/\/no\/such\/pack: no such directory/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal([]);
  });
});
