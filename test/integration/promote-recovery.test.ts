import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { waitFor } from "../../tools/cluster/processes";
import { CHART_SOURCE } from "../support/chart-source";
import { commandOf, engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// Two local environments on two throwaway clusters, foundation and ingress only (ingress holds
// cert-manager, the release promoted here). The source's release pins cert-manager to nodes
// labelled pool=promoted: the source's cluster has one, the target's gets one only when the test
// says so, so the target's Helm upgrade of that release waits (in flight) until then.
const SOURCE = "e2e-rec-src";
const TARGET = "e2e-rec-dst";
const TARGET_STACKS = ["foundation", "ingress"].map((layer) => `${layer}-${TARGET}`);
const LEAN = ["observability", "gitops", "security", "mesh", "data"].map((l) => `  ${l}: { enabled: false }`).join("\n");
const RELEASE_VALUES = "{ podLabels: { featureFlag: blue }, nodeSelector: { pool: promoted } }";
const APPROVE = ["--approve", "--approver", "alice@example.com"];

function envFile(kubeconfig: string, extra = ""): string {
  return `extends: local\nlocal:\n  kubeconfig: ${kubeconfig}\nsecrets: []\nlayers:\n${LEAN}\n${extra}`;
}

interface Step {
  readonly kind: "start" | "end";
  readonly id: string;
  readonly target: string;
  readonly settles?: string[];
}

describe("promotion: the drift gate sees inside Helm releases, and a killed promotion is settled by the next one", function () {
  this.timeout(3_600_000);
  let source: TestCluster;
  let target: TestCluster;
  let checkout: TempCheckout;
  const kubectl = (cluster: TestCluster, ...args: string[]) => checkout.exec("kubectl", ["--kubeconfig", cluster.kubeconfigPath, ...args]);
  const targetConfigs = () => TARGET_STACKS.map((stack) => path.join(checkout.dir, `Pulumi.${stack}.yaml`)).map((file) => (fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null));
  const previewClean = (stack: string) => checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${stack} --expect-no-changes --non-interactive`]);
  const promotionSteps = (): Step[] => {
    const file = path.join(checkout.env.PLATFORM_DATA!, "history", "promotion-steps.jsonl");
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as Step) : [];
  };

  before(async () => {
    [source, target] = await Promise.all([startTestCluster(), startTestCluster()]);
    checkout = tempCheckout({ KUBECONFIG: source.kubeconfigPath });
    const label = await kubectl(source, "label", "node", "local-node-0", "pool=promoted");
    expect(label.code, label.stderr).to.equal(0);
    fs.writeFileSync(path.join(checkout.dir, "environments", `${SOURCE}.yaml`), envFile(source.kubeconfigPath, `  ingress:\n    components:\n      certManager:\n        values: ${RELEASE_VALUES}\n`));
    fs.writeFileSync(path.join(checkout.dir, "environments", `${TARGET}.yaml`), envFile(target.kubeconfigPath, `promotion:\n  promotesFrom: ${SOURCE}\n`));
    const fill = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", SOURCE, "--from", CHART_SOURCE]);
    expect(fill.code, fill.stderr).to.equal(0);
    const ups = await Promise.all([checkout.cli(["up", "--env", SOURCE]), checkout.cli(["up", "--env", TARGET])]);
    for (const up of ups) expect(up.code, up.stdout + up.stderr).to.equal(0);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await Promise.all([source?.dispose(), target?.dispose()]);
  });

  it("refuses with exit 5 a source whose cert-manager was scaled to 0 inside its Helm release, naming the object and property, and leaves the target unchanged", async () => {
    const scaled = await kubectl(source, "-n", "ingress", "scale", "deployment", "cert-manager", "--replicas=0");
    expect(scaled.code, scaled.stderr).to.equal(0);
    const before = targetConfigs();

    const refused = await checkout.cli(["promote", SOURCE, TARGET, ...APPROVE]);
    const output = refused.stdout + refused.stderr;
    expect(refused.code, output).to.equal(5);
    const gateLine = output.split("\n").find((line) => line.includes("source-drift-free"));
    expect(gateLine, output).to.match(/FAIL/);
    expect(gateLine).to.contain("kubernetes:apps/v1:Deployment").and.contain("cert-manager").and.contain("spec.replicas: 1 -> 0");

    expect(targetConfigs(), "the target's stack config files").to.deep.equal(before);
    for (const stack of TARGET_STACKS) {
      const preview = await previewClean(stack);
      expect(preview.code, `${stack}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
    }
    const fixed = await checkout.cli(["drift", "--env", SOURCE, "--remediate", "up"]);
    expect(fixed.code, fixed.stdout + fixed.stderr).to.equal(0);
  });

  it("a promotion killed with kill -9 while the target's Helm upgrade is in flight is finished by the next promotion, which says so and records it", async () => {
    const killed = checkout.startCli(["promote", SOURCE, TARGET, ...APPROVE]);
    let ended = false;
    void killed.done.then(() => (ended = true));
    // The moment: Helm has recorded the upgrade as pending; it cannot end while the promoted pods have no node to run on.
    const pendingUpgrade = "/api/v1/namespaces/ingress/secrets?labelSelector=owner%3Dhelm%2Cname%3Dcert-manager%2Cstatus%3Dpending-upgrade";
    await waitFor("the target's Helm upgrade of cert-manager to begin", async () => {
      if (ended) throw new Error(`the promotion ended before its Helm upgrade began:\n${killed.output()}`);
      return (await kubeGet(target.server, target.token, pendingUpgrade)).body.items.length > 0;
    }, 1_200_000).catch((error: Error) => {
      throw new Error(`${error.message}\n${killed.output()}`);
    });
    expect(() => process.kill(-killed.pid, "SIGKILL"), `the promotion ended before it could be killed:\n${killed.output()}`).to.not.throw();
    await killed.done;
    await waitFor("the killed promotion's engine processes to end", async () => engineProcessesOf(checkout).length === 0, 600_000).catch((error: Error) => {
      throw new Error(`${error.message}: ${engineProcessesOf(checkout).map(commandOf).join("; ")}`);
    });
    const unfinished = promotionSteps().filter((step) => step.kind === "start" && step.target === TARGET);
    expect(unfinished, "the killed promotion's start in the promotion steps").to.have.length(1);
    const killedId = unfinished[0]!.id;

    // The node the release asks for arrives, so the release can now be applied.
    const label = await kubectl(target, "label", "node", "local-node-0", "pool=promoted");
    expect(label.code, label.stderr).to.equal(0);
    const next = await checkout.cli(["promote", SOURCE, TARGET, ...APPROVE, "--json", "--verify-timeout", "120"]);
    expect(next.code, next.stdout + next.stderr).to.equal(0);
    const report = JSON.parse(next.stdout);
    expect(report.result).to.equal("promoted");
    expect(report.recovered).to.deep.include({ promotions: [killedId], outcome: "finished" });
    expect(next.stderr + next.stdout).to.contain(`unfinished promotion ${killedId} finished`);

    for (const stack of TARGET_STACKS) {
      const preview = await previewClean(stack);
      expect(preview.code, `${stack}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
    }
    const deployment = await kubeGet(target.server, target.token, "/apis/apps/v1/namespaces/ingress/deployments/cert-manager");
    expect(deployment.body.spec.template.metadata.labels).to.deep.include({ featureFlag: "blue" });
    const ends = promotionSteps().filter((step) => step.kind === "end" && step.id === report.id);
    expect(ends.map((step) => step.settles), "the next promotion's end settles the killed one").to.deep.equal([[killedId]]);
    const journal = fs.readFileSync(path.join(checkout.env.PLATFORM_DATA!, "history", "promotions.jsonl"), "utf8").trim().split("\n").map((line) => JSON.parse(line));
    expect(journal.at(-1)).to.deep.include({ id: report.id, result: "promoted", recovered: { promotions: [killedId], outcome: "finished" } });
    expect(fs.readFileSync(report.changelog, "utf8")).to.contain("## Unfinished promotion").and.contain(`promotion ${killedId}: **finished**`);
  });
});
