import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { GRACEFUL_STOP } from "../../../orchestrator/cli/options/interrupts";

const ROOT = path.resolve(__dirname, "../../..");

/**
 * A process that holds an environment lock and a command that never ends by itself (an engine that
 * ignores the cancel), with the graceful stop scaled down. Prints `ready` once it waits for a signal.
 */
const STUCK_RUN = `
const { interruptHandling } = require(${JSON.stringify(path.join(ROOT, "orchestrator/cli/options/interrupts"))});
const { acquireLock } = require(${JSON.stringify(path.join(ROOT, "orchestrator/locks/environment-lock"))});
const interrupts = interruptHandling({ endEngines: () => process.stdout.write("engines ended\\n"), bounds: { engineGraceMs: 50, exitByMs: 300 } });
interrupts.stopping("stopping");
acquireLock(process.argv[1], "dev", "up");
setInterval(() => {}, 1000);
process.stdout.write("ready\\n");
`;

function startStuckRun(lockDir: string) {
  const child = spawn(process.execPath, ["--require", "ts-node/register", "-e", STUCK_RUN, lockDir], { cwd: ROOT, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } });
  let stdout = "";
  const ready = new Promise<void>((resolve) => child.stdout.on("data", (chunk) => ((stdout += chunk), stdout.includes("ready") && resolve())));
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, ready, exit, stdout: () => stdout };
}

describe("graceful stop: Ctrl-C and SIGTERM", function () {
  this.timeout(60_000);
  let lockDir: string;
  beforeEach(() => (lockDir = fs.mkdtempSync(path.join(os.tmpdir(), "graceful-stop-"))));
  afterEach(() => fs.rmSync(lockDir, { recursive: true, force: true }));

  it("kills the engines before the CLI must be gone, and both come before a CI runner's SIGKILL at 7.5 s", () => {
    expect(GRACEFUL_STOP.engineGraceMs).to.be.below(GRACEFUL_STOP.exitByMs);
    expect(GRACEFUL_STOP.exitByMs).to.be.at.most(6500);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal}: a run whose command never ends has its engines ended, exits 130 at the bound and leaves no lock`, async () => {
      const run = startStuckRun(lockDir);
      await run.ready;
      expect(fs.readdirSync(lockDir)).to.deep.equal(["dev.lock"]);
      run.child.kill(signal);
      expect(await run.exit, run.stdout()).to.equal(130);
      expect(run.stdout()).to.contain("engines ended");
      expect(fs.readdirSync(lockDir), "lock files left").to.deep.equal([]);
    });
  }
});
