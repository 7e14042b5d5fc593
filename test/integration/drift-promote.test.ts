import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { holdEngine } from "../support/held-engine";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// Two local environments, each on its own cluster: a source that takes changes first and a
// target that requires approval and takes promotions only from it. Only foundation and ingress
// are enabled, to keep the test short; the machinery is the same for every layer.
const SOURCE = "e2e-src";
const TARGET = "e2e-dst";
const LEAN = ["observability", "gitops", "security", "mesh", "data"].map((l) => `  ${l}: { enabled: false }`).join("\n");

// A pinned (non-promotable) setting in which the two environments differ: the target runs two
// cert-manager replicas, the source one. A promotion brings the release (chart versions, values), never this.
const TARGET_PINNED = "  ingress:\n    components:\n      certManager: { replicas: 2 }\n";
const SOURCE_REPLICAS = 1;
const TARGET_REPLICAS = 2;

function envFile(kubeconfig: string, extra: string): string {
  return `extends: local\nlocal:\n  kubeconfig: ${kubeconfig}\nsecrets: []\n${extra}layers:\n${LEAN}\n`;
}

/** The pod labels of the real cert-manager Deployment: where a promoted `podLabels` value lands. */
async function certManagerLabels(cluster: TestCluster): Promise<Record<string, unknown>> {
  const deployment = await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/ingress/deployments/cert-manager");
  return deployment.body.spec.template.metadata.labels;
}

/** The replicas of the real cert-manager Deployment: where the pinned `replicas` setting lands. */
async function certManagerReplicas(cluster: TestCluster): Promise<number> {
  return (await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/ingress/deployments/cert-manager")).body.spec.replicas;
}

describe("drift detection and promotion between two local environments", function () {
  this.timeout(1_200_000);
  let source: TestCluster;
  let target: TestCluster;
  let checkout: TempCheckout;
  const writeSource = (values: string) =>
    fs.writeFileSync(
      path.join(checkout.dir, "environments", `${SOURCE}.yaml`),
      envFile(source.kubeconfigPath, "") + (values ? `  ingress:\n    components:\n      certManager:\n        values: ${values}\n` : ""),
    );

  before(async () => {
    [source, target] = await Promise.all([startTestCluster(), startTestCluster()]);
    checkout = tempCheckout({ KUBECONFIG: source.kubeconfigPath });
    writeSource("");
    fs.writeFileSync(
      path.join(checkout.dir, "environments", `${TARGET}.yaml`),
      envFile(target.kubeconfigPath, `promotion:\n  requiresApproval: true\n  promotesFrom: ${SOURCE}\n`) + TARGET_PINNED,
    );
    const fill = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", SOURCE, "--from", CHART_SOURCE]);
    expect(fill.code, fill.stderr).to.equal(0);
    const ups = await Promise.all([checkout.cli(["up", "--env", SOURCE]), checkout.cli(["up", "--env", TARGET])]);
    for (const up of ups) expect(up.code, up.stdout + up.stderr).to.equal(0);
    expect([await certManagerReplicas(source), await certManagerReplicas(target)], "the environments differ in a pinned setting").to.deep.equal([SOURCE_REPLICAS, TARGET_REPLICAS]);
  });
  after(async () => {
    checkout?.dispose();
    await Promise.all([source?.dispose(), target?.dispose()]);
  });

  it("drift: a kubectl edit is detected per resource and property, reported as Markdown, and remediated by up", async () => {
    const edit = await checkout.exec("kubectl", ["--kubeconfig", source.kubeconfigPath, "-n", "ingress", "patch", "resourcequota", "platform-quota", "--type", "merge", "-p", '{"spec":{"hard":{"requests.cpu":"9"}}}']);
    expect(edit.code, edit.stderr).to.equal(0);
    const markdown = path.join(checkout.dir, "drift.md");
    const found = await checkout.cli(["drift", "--env", SOURCE, "--json", "--markdown", markdown]);
    expect(found.code, found.stderr).to.equal(2);
    const report = JSON.parse(found.stdout);
    const ingress = report.report.stacks.find((s: { stack: string }) => s.stack === `ingress-${SOURCE}`);
    expect(ingress.drift).to.have.length(1);
    expect(ingress.drift[0]).to.deep.include({ type: "kubernetes:core/v1:ResourceQuota", op: "update" });
    expect(ingress.drift[0].properties[0]).to.deep.include({ path: 'spec.hard["requests.cpu"]', new: "9" });
    expect(fs.readFileSync(markdown, "utf8")).to.contain('| ingress-e2e-src | reality | `kubernetes:core/v1:ResourceQuota` ingress-ns-quota | update | spec.hard["requests.cpu"]');

    const fixed = await checkout.cli(["drift", "--env", SOURCE, "--remediate", "up"]);
    expect(fixed.code, fixed.stdout + fixed.stderr).to.equal(0);
    const quota = await kubeGet(source.server, source.token, "/api/v1/namespaces/ingress/resourcequotas/platform-quota");
    expect(quota.body.spec.hard["requests.cpu"]).to.equal("2");
    expect((await checkout.cli(["drift", "--env", SOURCE])).code).to.equal(0);
  });

  it("a drift check never overlaps an up on the same environment: it is refused with exit 4 while the up runs", async () => {
    // The up is held at its first `pulumi up` (it holds the environment lock there) until the drift check has been refused.
    const held = holdEngine("up");
    try {
      const up = checkout.startCli(["up", "--env", SOURCE, "--force"], held.env);
      await held.reached(up);
      const drift = await checkout.cli(["drift", "--env", SOURCE]);
      expect(drift.code, drift.stdout + drift.stderr).to.equal(4);
      expect(drift.stderr).to.match(/locked by .* \(pid \d+, up since/);
      held.open();
      expect((await up.done).code, up.output()).to.equal(0);
    } finally {
      held.open();
      held.dispose();
    }

    const holder = { pid: process.pid, host: require("node:os").hostname(), user: "checker", operation: "drift", startedAt: new Date().toISOString() };
    const lockFile = path.join(checkout.env.PLATFORM_DATA!, "locks", `${SOURCE}.lock`);
    fs.writeFileSync(lockFile, JSON.stringify(holder));
    const refused = await checkout.cli(["up", "--env", SOURCE]);
    fs.rmSync(lockFile);
    expect(refused.code).to.equal(4);
    expect(refused.stderr).to.contain(`environment ${SOURCE} is locked by checker@`);
  });

  it("promotion needs approval for the target; refused, it changes nothing", async () => {
    writeSource("{ podLabels: { featureFlag: blue } }");
    expect((await checkout.cli(["up", "--env", SOURCE])).code).to.equal(0);
    const configFile = path.join(checkout.dir, `Pulumi.ingress-${TARGET}.yaml`);
    const before = fs.existsSync(configFile) ? fs.readFileSync(configFile, "utf8") : null;

    const refused = await checkout.cli(["promote", SOURCE, TARGET, "--json"]);
    expect(refused.code, refused.stderr).to.equal(5);
    const report = JSON.parse(refused.stdout);
    expect(report.result).to.equal("refused");
    expect(report.gates.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed])).to.deep.equal([
      ["change-window", true],
      ["target-not-held", true],
      ["source-soaked", true],
      ["source-deployed", true],
      ["source-successful", true],
      ["source-drift-free", true],
      ["policy", true],
      ["target-preview", true],
      ["capacity", true],
      ["budget", true],
      ["approval", false],
    ]);
    expect(fs.existsSync(configFile) ? fs.readFileSync(configFile, "utf8") : null).to.equal(before);
    expect(await certManagerLabels(target)).to.not.have.property("featureFlag");
  });

  it("cost: a replicas change shows its delta in preview; a budget below the estimate refuses a promotion with exit 5, target unchanged", async () => {
    const targetFile = path.join(checkout.dir, "environments", `${TARGET}.yaml`);
    const original = fs.readFileSync(targetFile, "utf8");
    fs.writeFileSync(targetFile, original.replace(`certManager: { replicas: ${TARGET_REPLICAS} }`, `certManager: { replicas: ${TARGET_REPLICAS + 1} }`));
    const preview = await checkout.cli(["preview", "--env", TARGET, "--layers", "ingress", "--json"]);
    fs.writeFileSync(targetFile, original);
    expect(preview.code, preview.stderr).to.equal(0);
    const cost = JSON.parse(preview.stdout).cost;
    expect(cost.prices).to.match(/^notional prices of \d{4}-\d{2}-\d{2}$/);
    const ingress = cost.sinceLastUp.layers.find((l: { layer: string }) => l.layer === "ingress");
    expect(ingress.delta).to.be.above(0);
    expect(ingress.causes).to.deep.equal([`certManager replicas ${TARGET_REPLICAS} → ${TARGET_REPLICAS + 1}`]);

    fs.writeFileSync(targetFile, `${original}budget: { monthly: 1 }\n`);
    const configFile = path.join(checkout.dir, `Pulumi.ingress-${TARGET}.yaml`);
    const configBefore = fs.readFileSync(configFile, "utf8");
    const refused = await checkout.cli(["promote", SOURCE, TARGET, "--approve", "--approver", "alice@example.com", "--json"]);
    expect(refused.code, refused.stdout + refused.stderr).to.equal(5);
    const report = JSON.parse(refused.stdout);
    const budget = report.gates.find((g: { gate: string }) => g.gate === "budget");
    expect(budget.passed).to.equal(false);
    expect(budget.reason).to.match(/^above budget: estimate USD [\d.]+\/month, budget USD 1\.00; raise budget\.monthly/);
    expect(report.gates.map((g: { gate: string }) => g.gate)).to.not.include("approval");
    expect(fs.readFileSync(configFile, "utf8")).to.equal(configBefore);
    expect(await certManagerLabels(target)).to.not.have.property("featureFlag");
    // The next test promotes with a budget raised above the estimate.
    fs.writeFileSync(targetFile, `${original}budget: { monthly: 100000 }\n`);
  });

  it("an approved promotion copies the release, keeps pinned settings, verifies, and writes a change log", async () => {
    const promoted = await checkout.cli(["promote", SOURCE, TARGET, "--approve", "--approver", "alice@example.com", "--json", "--verify-timeout", "120"]);
    expect(promoted.code, promoted.stdout + promoted.stderr).to.equal(0);
    const report = JSON.parse(promoted.stdout);
    expect(report.result).to.equal("promoted");
    expect(report.approver).to.equal("alice@example.com");
    expect(report.gates.find((g: { gate: string }) => g.gate === "budget")).to.deep.include({ passed: true });
    expect(report.cost.budget).to.equal(100000);
    expect(await certManagerLabels(target)).to.deep.include({ featureFlag: "blue" });
    // The release came over; the target's own pinned replicas stayed, and the source kept its own.
    expect(await certManagerReplicas(target), "target keeps its pinned replicas").to.equal(TARGET_REPLICAS);
    expect(await certManagerReplicas(source)).to.equal(SOURCE_REPLICAS);
    const release = (report.stacks as { target: string; changes: { component: string; field: string }[] }[]).find((st) => st.target === `ingress-${TARGET}`)!;
    expect(release.changes.map((c) => `${c.component}.${c.field}`), "only certManager's values are promoted").to.deep.equal(["certManager.values"]);
    const changelog = fs.readFileSync(report.changelog, "utf8");
    expect(changelog).to.contain("# Promotion e2e-src → e2e-dst").and.contain("| certManager | values |").and.contain("approver: alice@example.com").and.contain("## Cost");
    const history = JSON.parse((await checkout.cli(["history", "--env", TARGET, "--json"])).stdout);
    expect(history.runs.at(-1).promotion).to.deep.include({ source: SOURCE, phase: "apply", approver: "alice@example.com" });
  });

  it("a promotion whose verification fails is rolled back: the target's outputs and resources are as before", async () => {
    const outputsBefore = (await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi stack output --json --stack ingress-${TARGET}`])).stdout;
    const labelsBefore = await certManagerLabels(target);
    writeSource("{ podLabels: { featureFlag: green }, replicaCount: 0 }");
    expect((await checkout.cli(["up", "--env", SOURCE])).code).to.equal(0);

    const failed = await checkout.cli(["promote", SOURCE, TARGET, "--approve", "--approver", "alice@example.com", "--json", "--verify-timeout", "60"]);
    expect(failed.code, failed.stdout + failed.stderr).to.equal(1);
    const report = JSON.parse(failed.stdout);
    expect(report.result).to.equal("rolled-back");
    expect(report.verification.find((v: { stack: string }) => v.stack === `ingress-${TARGET}`).reason).to.contain("cert-manager is scaled to 0");
    expect(report.rollback.stacks).to.deep.equal([`ingress-${TARGET}`]);
    // The pre-promotion state is on disk, owner-only, with the cluster credential still ciphertext.
    const checkpoint = path.join(report.checkpoint, `ingress-${TARGET}.state.json`);
    expect(fs.statSync(checkpoint).mode & 0o777).to.equal(0o600);
    const saved = fs.readFileSync(checkpoint, "utf8");
    expect(saved).to.contain("cert-manager").and.not.contain(target.token);

    expect((await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi stack output --json --stack ingress-${TARGET}`])).stdout).to.equal(outputsBefore);
    expect(await certManagerLabels(target)).to.deep.equal(labelsBefore);
    const deployment = await kubeGet(target.server, target.token, "/apis/apps/v1/namespaces/ingress/deployments/cert-manager");
    expect(deployment.body.spec.replicas, "the target's own pinned replicas, not the promoted 0").to.equal(TARGET_REPLICAS);
  });
});
