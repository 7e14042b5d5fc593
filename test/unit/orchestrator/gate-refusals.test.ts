import { expect } from "chai";
import { exitCodeFor } from "../../../orchestrator/cli/main";
import { RefusedError } from "../../../orchestrator/model/refused-error";
import { operate } from "../../../orchestrator/operate/operate";
import { promote } from "../../../orchestrator/promote/promote";
import { SILENT_REPORTER } from "../../../orchestrator/run/progress";
import { environmentFiles } from "../../support/environment-files";
import { promoteOptions } from "../../support/promote-options";
import { refusal } from "../../support/refusal";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

// Closed every minute of the week, so the test does not depend on when it runs.
const ALWAYS_DENIED = "gates:\n  windows:\n    deny: [{ name: always-closed, days: [sun, mon, tue, wed, thu, fri, sat], start: '00:00', end: '24:00', timeZone: Europe/Berlin }]\n";
const files = environmentFiles({ "frozen.yaml": `extends: valid\n${ALWAYS_DENIED}`, "target.yaml": "extends: valid\n" });

describe("gates that refuse a run before anything changes", () => {
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(files.dir)));
  afterEach(() => workspace.dispose());
  after(() => files.dispose());

  for (const operation of ["up", "destroy"] as const) {
    it(`refuses ${operation} outside the change windows with exit 5, naming the window, the file and when changes open; nothing touched`, async () => {
      const error = await refusal(operate(workspace, operation, { env: "frozen", parallel: 2 }, SILENT_REPORTER));
      expect(error).to.be.instanceOf(RefusedError);
      expect(exitCodeFor(error)).to.equal(5);
      expect(error.message).to.match(new RegExp(`^${operation} frozen refused by its change windows \\(.*frozen\\.yaml: gates\\.windows\\): deny window always-closed; no window opens within 400 days; .*--break-glass --reason`));
      expect(workspace.engineCalls).to.deep.equal([]);
      expect(workspace.touched()).to.deep.equal([]);
    });
  }

  it("lets destroy go ahead outside the windows with break-glass, and records who, why and which window with the run", async () => {
    const result = await operate(workspace, "destroy", { env: "frozen", parallel: 2, breakGlassRequest: { reason: "INC-42: tear down the leaking cluster", by: "alice" } }, SILENT_REPORTER);
    const expected = { reason: "INC-42: tear down the leaking cluster", by: "alice", window: "deny window always-closed" };
    expect(result.record.breakGlass).to.deep.equal(expected);
    const recorded = (await workspace.history.read({ env: "frozen" })).find((r) => r.id === result.record.id);
    expect(recorded?.breakGlass).to.deep.equal(expected);
  });

  it("refuses a promotion into a held target until the hold is released, without touching its config", async () => {
    await workspace.holds.place({ env: "target", since: "2026-12-05T10:00:00.000Z", reason: "promotion p-1 from valid rolled back: verification failed", placedBy: "rollback", promotion: "p-1" });
    const held = await promote(workspace, promoteOptions());
    const gate = held.report.gates.find((g) => g.gate === "target-not-held");
    expect(held.report.result).to.equal("refused");
    expect(gate).to.deep.include({ passed: false });
    expect(gate?.reason).to.equal("target is held since 2026-12-05T10:00:00.000Z (rollback): promotion p-1 from valid rolled back: verification failed; release it with `npm run promote -- release-hold target`");
    expect(workspace.engineCalls).to.not.include("prepare");

    expect((await workspace.holds.release("target"))?.promotion).to.equal("p-1");
    const released = await promote(workspace, promoteOptions());
    expect(released.report.gates.find((g) => g.gate === "target-not-held")).to.deep.include({ passed: true, reason: "target is not held" });
  });

  it("refuses a promotion into a target outside its windows unless break-glass, and keeps the override in the report", async () => {
    const refused = await promote(workspace, promoteOptions({ target: "frozen" }));
    expect(refused.report.gates[0]).to.deep.include({ gate: "change-window", passed: false });
    const overridden = await promote(workspace, promoteOptions({ target: "frozen", breakGlass: { reason: "hotfix", by: "bob" } }));
    expect(overridden.report.gates[0]).to.deep.include({ gate: "change-window", passed: true });
    expect(overridden.report.breakGlass).to.deep.equal({ reason: "hotfix", by: "bob", window: "deny window always-closed" });
  });
});
