import * as path from "node:path";
import { expect } from "chai";
import { operate } from "../../../orchestrator/operate/operate";
import { runView } from "../../../orchestrator/report/dashboard/run-view";
import { SILENT_REPORTER } from "../../../orchestrator/run/progress";
import { FakeEngine } from "../../support/fake-engine";
import { testWorkspace } from "../../support/test-workspace";

const corpus = path.resolve(__dirname, "../../fixtures/environments");

describe("a run's progress journal", () => {
  it("holds the run's start, each stack's progress and its end, matching the history record", async function () {
    this.timeout(60_000);
    const workspace = testWorkspace(corpus, new FakeEngine());
    try {
      const { record } = await operate(workspace, "preview", { env: "valid", parallel: 2, policyPacks: [] }, SILENT_REPORTER);
      const [id] = await workspace.progress.recent("valid", 1);
      expect(id).to.equal(record.id);
      const journal = await workspace.progress.read("valid", id!);
      expect(journal.events[0]!.kind).to.equal("start");
      expect(journal.events.at(-1)).to.include({ kind: "end", status: record.status });
      expect(journal.events.some((e) => e.kind === "stack" && e.progress.state === "running")).to.equal(true);
      const view = runView(journal, undefined, () => [], new Date())!;
      expect(view.state).to.equal(record.status);
      expect(Object.fromEntries(view.stacks.map((s) => [s.stack, s.state]))).to.deep.equal(Object.fromEntries(record.stacks.map((s) => [s.stack.name, s.outcome.status])));
    } finally {
      workspace.dispose();
    }
  });
});
