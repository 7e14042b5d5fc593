import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunRecord } from "../../orchestrator/results";
import { CHART_SOURCE } from "../support/chart-source";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type CommandResult, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

const ENV = "e2e";
const LAYERS = ["foundation", "ingress", "observability", "gitops", "security", "mesh", "data"];

/** Everything under the checkout's temp directory, which engine runs must leave empty. */
function tempLeftovers(checkout: TempCheckout): string[] {
  return fs.readdirSync(checkout.env.TMPDIR!, { recursive: true }).map(String);
}

function record(result: CommandResult): RunRecord {
  expect(result.stderr, result.stdout).to.not.match(/^error:/m);
  return (JSON.parse(result.stdout) as { run: RunRecord }).run;
}

describe("end to end: the CLI on a local cluster", function () {
  this.timeout(900_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    // A second local environment on its own cluster: the blueprint's local settings, this cluster's kubeconfig.
    fs.writeFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\n`);
    const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", ENV, "--from", CHART_SOURCE]);
    expect(charts.code, charts.stderr).to.equal(0);
  });
  after(async () => {
    checkout?.dispose();
    await cluster?.dispose();
  });

  it("up deploys every enabled layer; the cluster has them; pulumi preview from the root shows no changes", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--json"]);
    const run = record(up);
    expect(up.code, up.stderr).to.equal(0);
    expect(tempLeftovers(checkout), "no kubeconfig or log left in the temp directory").to.deep.equal([]);
    expect(run.stacks.map((s) => [s.stack.layer, s.outcome.status])).to.deep.equal(LAYERS.map((layer) => [layer, "succeeded"]));
    const start = (layer: string) => Date.parse(run.stacks.find((s) => s.stack.layer === layer)!.startedAt!);
    const end = (layer: string) => start(layer) + run.stacks.find((s) => s.stack.layer === layer)!.durationMs;
    expect(start("ingress")).to.be.at.least(end("foundation"));
    expect(start("mesh")).to.be.at.least(Math.max(end("ingress"), end("observability")));

    for (const namespace of ["platform-system", "ingress", "observability", "gitops", "security", "istio-system", "data"]) {
      const quota = await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${namespace}/resourcequotas/platform-quota`);
      expect(quota.status, namespace).to.equal(200);
    }
    const istiod = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/istio-system/deployments/istiod");
    expect(istiod.status).to.equal(200);
    const mtls = await kubeGet(cluster.server, cluster.token, "/apis/security.istio.io/v1/namespaces/istio-system/peerauthentications/default");
    expect(mtls.body.spec.mtls.mode).to.equal("STRICT");
    const grafanaSecret = await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/observability/secrets/grafana-admin");
    expect(grafanaSecret.status).to.equal(200);
    expect(JSON.stringify(run)).to.not.contain(Buffer.from(grafanaSecret.body.data["admin-password"], "base64").toString());

    for (const layer of LAYERS) {
      const preview = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${layer}-${ENV} --expect-no-changes --non-interactive`]);
      expect(preview.code, `${layer}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
    }
  });

  it("a second up skips every stack, and status/history report the runs", async () => {
    const again = await checkout.cli(["up", "--env", ENV, "--json"]);
    expect(again.code, again.stderr).to.equal(0);
    expect(record(again).stacks.map((s) => s.outcome.status)).to.deep.equal(LAYERS.map(() => "unchanged"));

    const status = JSON.parse((await checkout.cli(["status", "--env", ENV, "--json"])).stdout);
    expect(status.stacks.every((s: { deployed: boolean }) => s.deployed)).to.equal(true);
    const history = JSON.parse((await checkout.cli(["history", "--env", ENV, "--json"])).stdout);
    expect(history.runs).to.have.length(2);
    expect(history.stats.stacks).to.have.length(7);
    expect(history.stats.successRate).to.equal(1);
  });

  it("a second run while one holds the environment is refused with exit code 4", async () => {
    const lockFile = path.join(checkout.env.PLATFORM_DATA!, "locks", `${ENV}.lock`);
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, host: require("node:os").hostname(), user: "someone", operation: "up", startedAt: "2026-11-23T00:00:00Z" }));
    const refused = await checkout.cli(["up", "--env", ENV]);
    fs.rmSync(lockFile);
    expect(refused.code).to.equal(4);
    expect(refused.stderr).to.contain(`environment ${ENV} is locked by someone@`);
  });

  it("destroy removes the stacks dependents first, and the cluster is empty of the platform", async () => {
    fs.rmSync(checkout.env.TMPDIR!, { recursive: true, force: true });
    fs.mkdirSync(checkout.env.TMPDIR!);
    const destroy = await checkout.cli(["destroy", "--env", ENV, "--json"]);
    const run = record(destroy);
    expect(destroy.code, destroy.stderr).to.equal(0);
    expect(tempLeftovers(checkout)).to.deep.equal([]);
    expect(run.stacks.every((s) => s.outcome.status === "succeeded")).to.equal(true);
    const foundation = run.stacks.find((s) => s.stack.layer === "foundation")!;
    for (const other of run.stacks.filter((s) => s.stack.layer !== "foundation")) {
      expect(Date.parse(foundation.startedAt!)).to.be.at.least(Date.parse(other.startedAt!) + other.durationMs);
    }
    const deployment = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/istio-system/deployments/istiod");
    expect(deployment.status).to.equal(404);
  });
});
