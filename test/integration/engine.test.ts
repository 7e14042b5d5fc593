import { expect } from "chai";
import * as path from "node:path";
import { AutomationEngine } from "../../orchestrator/automation/automation-engine";
import type { StackId } from "../../orchestrator/engine";
import { kubeGet } from "../support/kube-api";
import { tempBackend, tempProgram } from "../support/temp-backend";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

describe("the real engine against the local cluster", function () {
  this.timeout(600_000);
  let cluster: TestCluster;
  const backend = tempBackend();
  const program = tempProgram(path.resolve(__dirname, "../fixtures/programs/configmap"));
  const engine = new AutomationEngine({
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

  it("deploys a ConfigMap, previews no changes, and destroys it", async () => {
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

    const destroyed = await engine.run("destroy", stack);
    expect(destroyed.changes.delete).to.equal(4);
    const gone = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/engine-fixture/configmaps/greeting");
    expect(gone.status).to.equal(404);
  });
});
