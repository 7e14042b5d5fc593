import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { sleep, waitFor } from "../../tools/cluster/processes";
import { commandOf, engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { useClusterCheckout } from "../support/cluster-checkout";
import type { RunningCommand, TempCheckout } from "../support/temp-checkout";
import type { TestCluster } from "../support/test-cluster";

// A run stopped by a signal: it ends within the graceful-stop bound leaving no process and no lock,
// and the next plain up repairs what it left, even a namespace deleted after the run gave up on it.
// One layer (foundation: the platform-system namespace and its releases) is enough to show both.
const ENV = "e2e-cancel";
const STACK = `foundation-${ENV}`;
const NAMESPACE = "platform-system";
const HOLD = "platform.test/hold";
/** What a CI runner gives a job between SIGTERM and SIGKILL; the CLI must be gone before it. */
const CI_KILL_AFTER_MS = 7500;

function records(checkout: TempCheckout): RunRecord[] {
  const lines = fs.readFileSync(path.join(checkout.env.PLATFORM_DATA!, "history", "runs.jsonl"), "utf8").trim().split("\n");
  return lines.filter((line) => !line.includes('"kind":"start"')).map((line) => JSON.parse(line) as RunRecord);
}

const kubectl = (cluster: TestCluster, args: readonly string[]) => execFileSync("kubectl", ["--kubeconfig", cluster.kubeconfigPath, ...args], { stdio: "pipe" });

const lockFile = (checkout: TempCheckout) => path.join(checkout.env.PLATFORM_DATA!, "locks", `${ENV}.lock`);

/** Waits until one live process of the checkout's runs matches; fails if the run ends first. */
async function waitForEngineProcess(checkout: TempCheckout, run: RunningCommand, matching: RegExp): Promise<void> {
  let ended = false;
  void run.done.then(() => (ended = true));
  let alive: number[] = [];
  while (!ended && !(alive = engineProcessesOf(checkout)).map(commandOf).some((command) => matching.test(command))) await sleep(50);
  expect(alive.map(commandOf).join("\n"), `no live engine process matching ${matching} before the signal:\n${run.output()}`).to.match(matching);
}

describe("a run stopped by SIGTERM or Ctrl-C", function () {
  this.timeout(3_600_000);
  const setup = useClusterCheckout(ENV, ["ingress", "observability", "gitops", "security", "mesh", "data"]);

  it("SIGTERM mid-up: the CLI exits 130 before a CI runner's SIGKILL would come, with no process of the run left and the lock released", async () => {
    const { checkout } = setup();
    const run = checkout.startCli(["up", "--env", ENV, "--force"]);
    // The finder that must come back empty finds the run's engine and provider while the up deploys.
    await waitForEngineProcess(checkout, run, /pulumi-resource-kubernetes/);
    expect(fs.existsSync(lockFile(checkout)), "the run holds the environment's lock").to.equal(true);
    process.kill(-run.pid, "SIGTERM");
    // The runner's SIGKILL, as CI sends it: an exit code of 137 means the CLI overran the bound.
    const ciKill = setTimeout(() => {
      try {
        process.kill(-run.pid, "SIGKILL");
      } catch {
        // The group is gone already: nothing for the runner to kill.
      }
    }, CI_KILL_AFTER_MS);
    const stopped = await run.done.finally(() => clearTimeout(ciKill));
    expect(stopped.code, run.output()).to.equal(130);
    expect(engineProcessesOf(checkout).map(commandOf), "processes of the run left when the CLI exited").to.deep.equal([]);
    expect(fs.existsSync(lockFile(checkout)), "environment lock").to.equal(false);
  });

  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} of a destroy while a namespace is terminating: the next plain up exits 0 and leaves nothing to change`, async () => {
      const { cluster, checkout } = setup();
      const up = await checkout.cli(["up", "--env", ENV]);
      expect(up.code, up.stdout + up.stderr).to.equal(0);
      // An object whose finalizer only this test removes holds the namespace in Terminating.
      kubectl(cluster, ["create", "configmap", "held", "-n", NAMESPACE]);
      kubectl(cluster, ["patch", "configmap", "held", "-n", NAMESPACE, "--type=merge", "-p", JSON.stringify({ metadata: { finalizers: [HOLD] } })]);
      const destroy = checkout.startCli(["destroy", "--env", ENV]);
      await waitFor(`namespace ${NAMESPACE} terminating`, async () => Boolean((await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${NAMESPACE}`)).body?.metadata?.deletionTimestamp), 600_000);
      process.kill(-destroy.pid, signal);
      const cancelled = await destroy.done;
      expect(cancelled.code, destroy.output()).to.equal(130);
      expect(records(checkout).pop()).to.deep.include({ operation: "destroy", status: "cancelled" });

      // The namespace goes after all, once the run has given up on it.
      kubectl(cluster, ["patch", "configmap", "held", "-n", NAMESPACE, "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
      await waitFor(`namespace ${NAMESPACE} gone`, async () => (await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${NAMESPACE}`)).status === 404, 600_000);

      const recovery = await checkout.cli(["up", "--env", ENV]);
      console.log(recovery.stdout.split("\n").filter((line) => /unsettled|refresh|not found/.test(line)).join("\n"));
      expect(recovery.code, `${recovery.stdout}\n${recovery.stderr}`).to.equal(0);
      expect(recovery.stdout).to.contain(`${STACK}: left unsettled by the cancelled run`);
      const preview = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${STACK} --expect-no-changes --non-interactive`]);
      expect(preview.code, `${STACK}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
      expect(fs.existsSync(lockFile(checkout)), "environment lock").to.equal(false);
    });
  }
});
