import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openAutomation } from "../../orchestrator/automation/open-automation";
import type { StackId } from "../../orchestrator/model/stack";
import { kubeGet } from "../support/kube-api";
import { tempBackend, tempProgram } from "../support/temp-backend";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

describe("the real engine against the local cluster", function () {
  this.timeout(600_000);
  let cluster: TestCluster;
  const backend = tempBackend();
  const program = tempProgram(path.resolve(__dirname, "../fixtures/programs/configmap"));
  const { engine, records } = openAutomation({
    workDir: program.dir,
    backendUrl: backend.url,
    envVars: backend.envVars,
  });
  const stack: StackId = { layer: "foundation", env: "enginetest", name: "foundation-enginetest" };

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => {
    await cluster?.dispose();
    backend.dispose();
    program.dispose();
  });

  const backendDir = backend.url.slice("file://".length);
  const lockDir = path.join(backendDir, ".pulumi", "locks", "organization", "fixture-configmap", stack.name);
  // What `kill -9` of a pulumi up leaves: its lock file (a dead pid) and a pending operation in the
  // state. A second lock held by a live process (this one) stands for a run outside the orchestrator.
  async function simulateKilledRun(): Promise<void> {
    const dead = spawnSync("true").pid!;
    fs.mkdirSync(lockDir, { recursive: true });
    const lock = (pid: number) => JSON.stringify({ pid, username: os.userInfo().username, hostname: os.hostname(), timestamp: new Date().toISOString() });
    fs.writeFileSync(path.join(lockDir, "dead.json"), lock(dead));
    fs.writeFileSync(path.join(lockDir, "live.json"), lock(process.pid));
    // The engine writes pending operations into the checkpoint as it goes; `stack import` would drop them, so edit the file.
    const checkpointFile = path.join(backendDir, ".pulumi", "stacks", "fixture-configmap", `${stack.name}.json`);
    const checkpoint = JSON.parse(fs.readFileSync(checkpointFile, "utf8"));
    const configMap = checkpoint.checkpoint.latest.resources.find((r: { type: string }) => r.type === "kubernetes:core/v1:ConfigMap");
    checkpoint.checkpoint.latest.pending_operations = [{ resource: configMap, type: "updating" }];
    const text = JSON.stringify(checkpoint, null, 4);
    fs.writeFileSync(checkpointFile, text);
    const attrs = JSON.parse(fs.readFileSync(`${checkpointFile}.attrs`, "utf8"));
    fs.writeFileSync(`${checkpointFile}.attrs`, JSON.stringify({ ...attrs, md5: createHash("md5").update(text).digest("base64") }));
  }

  it("deploys a ConfigMap, previews no changes, recovers from a killed run, and destroys it", async () => {
    await engine.prepare(stack, {
      kubeconfig: { value: cluster.kubeconfig, secret: true },
      message: { value: "hello from pulumi", secret: false },
    });

    const up = await engine.run("up", stack);
    expect(up.changes.create).to.equal(4); // stack, provider, namespace, configmap
    expect(up.outputs?.configMapName.value).to.equal("greeting");

    const live = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/engine-fixture/configmaps/greeting");
    expect(live.status).to.equal(200);
    expect(live.body.data.message).to.equal("hello from pulumi");

    const preview = await engine.run("preview", stack);
    expect(Object.keys(preview.changes).filter((kind) => kind !== "same")).to.deep.equal([]);

    await simulateKilledRun();
    const whileLive = await records.recover(stack);
    expect(whileLive).to.match(/cleared a stale lock on foundation-enginetest left by an interrupted run, \w+@/);
    expect(whileLive).to.contain(`pid ${process.pid}`).and.contain("left alone").and.not.contain("pending");
    expect(fs.readdirSync(lockDir)).to.deep.equal(["live.json"]);
    fs.rmSync(path.join(lockDir, "live.json"));
    expect(await records.recover(stack)).to.contain("cleared 1 pending operation(s) on foundation-enginetest");
    const state = (await records.exportState(stack)) as { deployment: { pending_operations?: unknown[] } };
    expect(state.deployment.pending_operations ?? []).to.deep.equal([]);
    expect(JSON.stringify(state)).to.contain("ciphertext").and.not.contain(cluster.token);
    // Read straight from the folder backend, the deployment is the one the CLI exports.
    const read = (await records.readState(stack)) as { deployment: { resources: { urn: string; outputs?: unknown }[] } };
    expect(read.deployment.resources.map((r) => [r.urn, r.outputs])).to.deep.equal((state as typeof read).deployment.resources.map((r) => [r.urn, r.outputs]));
    expect(await records.recover(stack)).to.equal(undefined);

    const destroyed = await engine.run("destroy", stack);
    expect(destroyed.changes.delete).to.equal(4);
    const gone = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/engine-fixture/configmaps/greeting");
    expect(gone.status).to.equal(404);
  });
});
