import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { waitFor } from "../../tools/cluster/processes";
import { commandOf, engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// kill -9 of a whole run at seeded moments of an up or a destroy; the next up must bring the
// environment back. Two trials run in `npm test`; KILL_TRIALS=<n> runs more (see README).
const ENV = "e2e-kill";
const STACKS = ["foundation", "ingress", "observability"].map((layer) => `${layer}-${ENV}`);
const TRIALS = Number(process.env.KILL_TRIALS ?? 2);
const OFF = ["gitops", "security", "mesh", "data"].map((l) => `  ${l}: { enabled: false }`).join("\n");

/** A small deterministic generator, so a failing trial can be run again with its seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("kill -9 of a run: the next up recovers", function () {
  this.timeout(3_600_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    fs.writeFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\nlayers:\n${OFF}\n`);
    const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", ENV, "--from", CHART_SOURCE]);
    expect(charts.code, charts.stdout + charts.stderr).to.equal(0);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await cluster?.dispose();
  });

  for (let trial = 0; trial < TRIALS; trial++) {
    const operation = trial % 2 === 0 ? "up" : "destroy";
    it(`trial ${trial}: SIGKILL of the process group during ${operation}; the next up exits 0 and leaves nothing to fix`, async () => {
      const random = seeded(trial + 1);
      if (operation === "destroy") expect((await checkout.cli(["up", "--env", ENV])).code).to.equal(0);
      // --force: an up with nothing to do would end before the moment comes.
      const run = checkout.startCli(operation === "up" ? ["up", "--env", ENV, "--force"] : ["destroy", "--env", ENV]);
      // The moment. An up: once the second stack of the order is running, plus a seeded delay.
      // A destroy: while the ingress namespace is being deleted, the window a killed destroy
      // leaves a deleted namespace in state.
      const deadline = Date.now() + 300_000;
      if (operation === "up") {
        while (!run.output().includes(`▶ ${STACKS[1]} running`) && Date.now() < deadline) await sleep(50);
        await sleep(Math.floor(random() * 4000));
      } else {
        while (!(await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/ingress")).body?.metadata?.deletionTimestamp && Date.now() < deadline) await sleep(20);
        await sleep(Math.floor(random() * 300));
      }
      // The helper that must find nothing after the kill finds the run's engine processes while it is alive
      // (the watchdog and pulumi of the stack it runs), so its empty answer later means something.
      let ended = false;
      void run.done.then(() => (ended = true));
      let alive: number[] = [];
      while ((alive = engineProcessesOf(checkout)).length === 0 && !ended) await sleep(20);
      expect(alive, `no engine process of the running ${operation} found before the kill:\n${run.output()}`).to.not.deep.equal([]);
      expect(alive.map(commandOf).join("\n"), "the live engine processes found").to.match(/pulumi/);
      expect(() => process.kill(-run.pid, "SIGKILL"), `the ${operation} ended before it could be killed:\n${run.output()}`).to.not.throw();
      await run.done;
      // Nobody runs in between: the killed run's watchdogs end pulumi and its plugins themselves (30 s
      // grace at most). Waited for as an event; the bound only turns a process that never ends into a failure.
      await waitFor("the killed run's engine processes to end", async () => engineProcessesOf(checkout).length === 0, 600_000).catch((error: Error) => {
        throw new Error(`${error.message}: ${engineProcessesOf(checkout).map(commandOf).join("; ")}`);
      });

      const recovery = await checkout.cli(["up", "--env", ENV]);
      expect(recovery.code, `${recovery.stdout}\n${recovery.stderr}`).to.equal(0);
      for (const stack of STACKS) {
        const preview = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${stack} --expect-no-changes --non-interactive`]);
        expect(preview.code, `${stack}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
        const exported = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi stack export --stack ${stack}`]);
        expect(() => JSON.parse(exported.stdout), stack).to.not.throw();
      }
      expect(fs.existsSync(path.join(checkout.env.PLATFORM_DATA!, "locks", `${ENV}.lock`)), "environment lock").to.equal(false);
      const stackLocks = path.join(checkout.env.PLATFORM_DATA!, "state", ".pulumi", "locks");
      const held = fs.existsSync(stackLocks) ? fs.readdirSync(stackLocks, { recursive: true }).filter((entry) => String(entry).endsWith(".json")) : [];
      expect(held, "stack locks").to.deep.equal([]);
      expect(engineProcessesOf(checkout), "engine processes left by the killed run").to.deep.equal([]);
    });
  }
});
