import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { addLocalEnvironment } from "../support/local-environment";
import { startS3Emulator, type TestS3Backend } from "../support/s3-emulator";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

const ENV = "s3";

/** The CLI with the engine's state, the lock and the history in an s3:// bucket (gofakes3). */
describe("the CLI on an s3:// backend (S3 emulator)", function () {
  this.timeout(900_000);
  let s3: TestS3Backend;
  let cluster: TestCluster;
  let checkout: TempCheckout;
  before(async () => {
    s3 = await startS3Emulator();
    cluster = await startTestCluster();
    checkout = tempCheckout({ PULUMI_BACKEND_URL: s3.url, ...s3.envVars, KUBECONFIG: cluster.kubeconfigPath, PLATFORM_HOLDER: "s3-checkout" });
    await addLocalEnvironment(checkout, ENV, cluster.kubeconfigPath);
  });
  after(async () => {
    checkout?.dispose();
    await cluster?.dispose();
    await s3?.dispose();
  });

  it("runs up, status, history and destroy with nothing kept locally", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--layers", "foundation", "--json"]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).to.equal(0);
    const status = JSON.parse((await checkout.cli(["status", "--env", ENV, "--json"])).stdout);
    expect(status.stacks.find((s: { stack: string }) => s.stack === `foundation-${ENV}`).deployed).to.equal(true);
    const history = JSON.parse((await checkout.cli(["history", "--env", ENV, "--json"])).stdout);
    expect(history.runs).to.have.length(1);
    for (const local of ["history", "locks", path.join("state", ".pulumi")]) expect(fs.existsSync(path.join(checkout.env.PLATFORM_DATA!, local)), local).to.equal(false);
    const destroy = await checkout.cli(["destroy", "--env", ENV, "--json"]);
    expect(destroy.code, destroy.stderr).to.equal(0);
  });
});
