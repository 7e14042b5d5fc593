import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { operate } from "../../../orchestrator/operate";
import { PreflightError } from "../../../orchestrator/run/preflight";
import { SILENT_REPORTER } from "../../../orchestrator/run/progress";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

const corpus = path.resolve(__dirname, "../../fixtures/environments");

async function refusal(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error("the run was not refused");
}

describe("operate: bad input stops the run before anything is touched", () => {
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(corpus)));
  afterEach(() => workspace.dispose());

  it("refuses a --retry-on that is not a regular expression before taking the environment lock", async () => {
    // Another live run holds the lock: a refusal that names the pattern, not the lock, shows the pattern was checked first.
    fs.mkdirSync(workspace.lockDir, { recursive: true });
    const lock = { pid: process.pid, host: os.hostname(), user: "someone", operation: "up", startedAt: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(path.join(workspace.lockDir, "valid.lock"), JSON.stringify(lock));
    const error = await refusal(operate(workspace, "refresh", { env: "valid", parallel: 2, retryOn: ["timeout", "("] }, SILENT_REPORTER));
    expect(error).to.be.instanceOf(PreflightError);
    expect(error.message).to.match(/--retry-on "\(": not a valid regular expression/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal(["locks/valid.lock"]);
  });
});
