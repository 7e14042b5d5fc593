import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pidAlive } from "../../orchestrator/locks/environment-lock";
import { waitFor } from "../../tools/cluster/processes";
import { commandOf, engineProcessesOf } from "../support/engine-processes";
import { holdEngine } from "../support/held-engine";
import { useClusterCheckout } from "../support/cluster-checkout";
import { exposition } from "../support/prometheus-format";
import type { TempCheckout } from "../support/temp-checkout";

const ENV = "live";
const STACK = `foundation-${ENV}`;

interface Shown {
  readonly status: { running?: { by: string }; interrupted?: { by: string } };
  readonly history: string;
  readonly report: string;
  readonly metrics: { running?: number; interrupted?: number };
}

/** The CLI on a file:// checkout: a lock meant to outlive its process, and a run that is alive, then killed. */
describe("run locks on a file:// backend: workflow locks refused, a live run told from a killed one", function () {
  this.timeout(900_000);
  const opened = useClusterCheckout(ENV);
  let checkout: TempCheckout;
  let lockFile: string;

  before(() => {
    checkout = opened().checkout;
    lockFile = path.join(checkout.env.PLATFORM_DATA!, "locks", `${ENV}.lock`);
  });

  /** What status, history, the report and the metrics say about the run's stack. */
  async function shown(): Promise<Shown> {
    const status = await checkout.cli(["status", "--env", ENV, "--json"]);
    expect(status.code, status.stderr).to.equal(0);
    const history = await checkout.cli(["history", "--env", ENV, "--json"]);
    expect(history.code, history.stderr).to.equal(0);
    const out = path.join(checkout.dir, "report.html");
    const report = await checkout.cli(["report", "--env", ENV, "--out", out]);
    expect(report.code, report.stderr).to.equal(0);
    const metrics = await checkout.cli(["metrics", "--env", ENV]);
    expect(metrics.code, metrics.stderr).to.equal(0);
    const { problems, samples } = exposition(metrics.stdout);
    expect(problems).to.deep.equal([]);
    const gauge = (name: string) => samples.find((s) => s.name === name && s.labels.env === ENV && s.labels.stack === STACK)?.value;
    const row = new RegExp(`<tr><td>${STACK}</td>.*?</tr>`).exec(fs.readFileSync(out, "utf8"))?.[0] ?? "";
    const unfinished = (JSON.parse(history.stdout) as { unfinished: { state: string }[] }).unfinished;
    return {
      status: (JSON.parse(status.stdout) as { stacks: ({ stack: string } & Shown["status"])[] }).stacks.find((s) => s.stack === STACK)!,
      history: unfinished.map((r) => r.state).join(","),
      report: row,
      metrics: { running: gauge("platform_stack_running"), interrupted: gauge("platform_stack_interrupted") },
    };
  }

  it("refuses `lock acquire` and `lock release` (exit 3, naming the shared backends) and leaves no lock for a run to take over", async () => {
    const acquire = await checkout.cli(["lock", "acquire", "--env", ENV, "--id", "other-run"]);
    expect(acquire.code, acquire.stderr).to.equal(3);
    expect(acquire.stderr).to.match(/a lock held across CI jobs needs a shared backend: .*azblob:\/\/ or s3:\/\//);
    expect(fs.existsSync(lockFile), "no lock file").to.equal(false);
    const release = await checkout.cli(["lock", "release", "--env", ENV, "--id", "other-run"]);
    expect(release.code, release.stderr).to.equal(3);
    const status = JSON.parse((await checkout.cli(["status", "--env", ENV, "--json"])).stdout) as { lockedBy?: unknown };
    expect(status.lockedBy).to.equal(undefined);
  });

  it("never takes over a workflow lock file by its pid: a run is refused (exit 4) and the file stays", async () => {
    // What an older `lock acquire` left: the pid of a command that has long exited.
    const workflow = { pid: 999_999, host: os.hostname(), user: "ci", operation: "workflow", startedAt: "2026-12-01T00:00:00.000Z" };
    expect(pidAlive(workflow.pid), "pid 999999 is free").to.equal(false);
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify(workflow));
    try {
      const up = await checkout.cli(["up", "--env", ENV, "--layers", "foundation"]);
      expect(up.code, up.stdout + up.stderr).to.equal(4);
      expect(up.stderr).to.contain("a lock taken by `lock acquire` is not judged by its process");
      expect(up.stderr).to.contain(lockFile);
      expect(up.stdout + up.stderr).not.to.match(/recovered a stale run lock/);
      expect(JSON.parse(fs.readFileSync(lockFile, "utf8"))).to.deep.equal(workflow);
    } finally {
      fs.rmSync(lockFile, { force: true });
    }
  });

  it("shows a run held at its pulumi up as running in status, history, the report and the metrics; after kill -9, as interrupted", async () => {
    const held = holdEngine("up");
    const run = checkout.startCli(["up", "--env", ENV, "--layers", "foundation", "--force"], held.env);
    try {
      await held.reached(run);
      const holder = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { pid: number };
      const by = `${os.userInfo().username}@${os.hostname()} (pid ${holder.pid})`;

      const live = await shown();
      expect(live.status.running, JSON.stringify(live.status)).to.deep.include({ operation: "up", by });
      expect(live.status.interrupted).to.equal(undefined);
      expect(live.history).to.equal("running");
      expect(live.report).to.match(/>running<\/span>/);
      expect(live.report).to.contain(`by ${by}, still holding the environment&#39;s lock`);
      expect(live.metrics).to.deep.equal({ running: 1, interrupted: undefined });

      // The same search that must find nothing after the kill finds the run's engine processes now.
      expect(engineProcessesOf(checkout).map(commandOf).join("\n"), "the held run's engine processes").to.match(/held-pulumi\.sh up/);
      process.kill(-run.pid, "SIGKILL");
      await run.done;
      await waitFor("the killed run's processes to end", async () => !pidAlive(holder.pid) && engineProcessesOf(checkout).length === 0, 600_000);

      const dead = await shown();
      expect(dead.status.running).to.equal(undefined);
      expect(dead.status.interrupted, JSON.stringify(dead.status)).to.deep.include({ operation: "up", by: `${os.userInfo().username}@${os.hostname()}` });
      expect(dead.history).to.equal("interrupted");
      expect(dead.report).to.match(/>interrupted<\/span>/);
      expect(dead.report).to.contain("ended before it recorded a result");
      expect(dead.metrics).to.deep.equal({ running: undefined, interrupted: 1 });
      expect(fs.existsSync(lockFile), "the killed run's lock is left, stale").to.equal(true);
    } finally {
      held.open();
      held.dispose();
    }
  });

  it("the next up takes over the killed run's stale lock with a note and settles its stack", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--layers", "foundation"]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect(up.stdout + up.stderr).to.match(/recovered a stale run lock left by .*\(pid \d+, up since /);
    const settled = await shown();
    expect(settled.status.running).to.equal(undefined);
    expect(settled.status.interrupted).to.equal(undefined);
    // History keeps the killed run as what it was; only its stack is settled.
    expect(settled.history).to.equal("interrupted");
    expect(settled.report).to.match(/>succeeded<\/span>/);
    expect(settled.metrics).to.deep.equal({ running: undefined, interrupted: undefined });
    expect(fs.existsSync(lockFile)).to.equal(false);
  });
});
