import { expect } from "chai";
import * as path from "node:path";
import { openAutomation } from "../../orchestrator/automation/open-automation";
import { PolicyViolationError } from "../../orchestrator/engine/errors";
import type { StackId } from "../../orchestrator/model/stack";
import { tempBackend, tempProgram } from "../support/temp-backend";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

describe("the policy pack enforced by the real engine", function () {
  this.timeout(600_000);
  const policyPack = path.resolve(__dirname, "../../policy/platform");
  const backend = tempBackend();
  const program = tempProgram(path.resolve(__dirname, "../fixtures/programs/workload"));
  const { engine } = openAutomation({ workDir: program.dir, backendUrl: backend.url, envVars: backend.envVars });
  const stack: StackId = { layer: "foundation", env: "policytest", name: "foundation-policytest" };
  let cluster: TestCluster;

  before(async () => {
    cluster = await startTestCluster();
  });
  after(async () => {
    await cluster?.dispose();
    backend.dispose();
    program.dispose();
  });

  it("lets a compliant preview through and stops one with a ':latest' image", async () => {
    await engine.prepare(stack, { kubeconfig: { value: cluster.kubeconfig, secret: true }, image: { value: "registry.local/web:1.0.0", secret: false } });
    const passing = await engine.run("preview", stack, { policyPacks: [policyPack] });
    expect(passing.changes.create).to.be.greaterThan(0);

    await engine.prepare(stack, { kubeconfig: { value: cluster.kubeconfig, secret: true }, image: { value: "nginx:latest", secret: false } });
    let failure: Error | undefined;
    await engine.run("preview", stack, { policyPacks: [policyPack] }).catch((error: Error) => (failure = error));
    expect(failure).to.be.instanceOf(PolicyViolationError);
    expect((failure as PolicyViolationError).violations.join("\n")).to.match(/^no-latest-image-tag: .*nginx:latest/m);
  });
});
