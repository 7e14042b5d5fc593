import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { tempCheckout, type CommandResult, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// The workload rules on chart-made workloads, run by the real engine: `pulumi preview
// --policy-pack policy/platform` of a local stack whose releases install the real charts.
const ENV = "policycharts";
const STACK = `security-${ENV}`;

describe("the policy pack checks the workloads inside Helm releases (real engine, real charts)", function () {
  this.timeout(900_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;
  const renderCache = fs.mkdtempSync(path.join(os.tmpdir(), "policy-renders-"));

  const writeEnvironment = (extra = "") =>
    fs.writeFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\n${extra}`);
  const preview = (flags: string): Promise<CommandResult> => checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${STACK} --non-interactive ${flags}`]);
  const policyPreview = () => preview("--policy-pack policy/platform --policy-pack-config policy/platform/config/none.json");

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath, PLATFORM_POLICY_CACHE: renderCache });
    writeEnvironment();
    const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", ENV, "--from", CHART_SOURCE]);
    expect(charts.code, charts.stderr).to.equal(0);
    // The security stack reads the cluster through foundation's outputs; its own preview configures the stack.
    const foundation = await checkout.cli(["up", "--env", ENV, "--layers", "foundation"]);
    expect(foundation.code, foundation.stderr + foundation.stdout).to.equal(0);
    const configured = await checkout.cli(["preview", "--env", ENV, "--layers", "security"]);
    expect(configured.code, configured.stderr + configured.stdout).to.equal(0);
  });
  after(async () => {
    fs.rmSync(renderCache, { recursive: true, force: true });
    checkout?.dispose();
    await cluster?.dispose();
  });

  it("passes with the project's values, rendering each release once", async () => {
    fs.rmSync(renderCache, { recursive: true, force: true });
    const passing = await policyPreview();
    expect(passing.code, passing.stdout + passing.stderr).to.equal(0);
    expect(fs.readdirSync(renderCache)).to.have.length(4);
  });

  it("checks deployed releases too: pulumi policy analyze over foundation's state, as the drift workflow runs it", async () => {
    fs.rmSync(renderCache, { recursive: true, force: true });
    const analyzed = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi policy analyze --stack foundation-${ENV} --policy-pack policy/platform --policy-pack-config policy/platform/config/none.json`]);
    expect(analyzed.code, analyzed.stdout + analyzed.stderr).to.equal(0);
    // metrics-server, the one release of local foundation, was rendered from its recorded inputs.
    expect(fs.readdirSync(renderCache)).to.have.length(1);
  });

  it("fails naming the chart container when a component's values drop its requests", async () => {
    writeEnvironment("layers:\n  security:\n    components:\n      externalSecrets: { values: { webhook: { resources: null } } }\n");
    const configured = await checkout.cli(["preview", "--env", ENV, "--layers", "security", "--no-policy"]);
    expect(configured.code, configured.stderr + configured.stdout).to.equal(0);
    const failing = await policyPreview();
    const output = failing.stdout + failing.stderr;
    expect(failing.code, output).to.not.equal(0);
    expect(output).to.match(/workload-resource-requests/);
    expect(output).to.include("release 'external-secrets': Deployment security/external-secrets-webhook: container 'webhook' has no cpu and memory requests");
  });
});
