import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { waitFor } from "../../tools/cluster/processes";
import { engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// A fleet of two lean members (foundation only), each on its own cluster: ring 0 is the canary,
// ring 1 the region; and the source they take promotions from, on a third. The machinery is the
// same for more members and layers. Destroy's reverse ring order is planned by planFleet (unit tests)
// and run by the same loop as up; it is left out here for time (namespace deletion takes half a minute).
const FLEET = "fl";
const SOURCE = "fl-src";
const SOAK = "30s";
const LEAN = ["ingress", "observability", "gitops", "security", "mesh", "data"].map((layer) => `  ${layer}: { enabled: false }`).join("\n");

function sourceFile(source: TestCluster, values: string): string {
  const metricsServer = values ? `\n  foundation:\n    components:\n      metricsServer:\n        values: ${values}` : "";
  return `extends: local\nsecrets: []\nlocal:\n  kubeconfig: ${source.kubeconfigPath}\nlayers:\n${LEAN}${metricsServer}\n`;
}

function fleetFile(canary: TestCluster, eu: TestCluster): string {
  return [
    "extends: local",
    "secrets: []",
    `promotion: { promotesFrom: ${SOURCE} }`,
    `layers:\n${LEAN}`,
    // Each member soaks this long after its promotion before the next ring starts.
    `gates: { requiredSoak: ${SOAK} }`,
    "fleet:",
    "  members:",
    `    canary: { local: { kubeconfig: ${canary.kubeconfigPath} } }`,
    `    eu: { region: eu-local, local: { kubeconfig: ${eu.kubeconfigPath} } }`,
    "  rings: [[canary], [eu]]",
    "",
  ].join("\n");
}

interface MemberDocument {
  readonly member: string;
  readonly ring: number;
  readonly outcome: string;
  readonly run?: { readonly run: { readonly startedAt: string; readonly finishedAt: string; readonly status: string; readonly stacks: readonly { readonly stack: { readonly name: string } }[] } };
}

/** The pod labels of the real metrics-server Deployment: where a promoted `podLabels` value lands. */
async function metricsServerLabels(cluster: TestCluster): Promise<Record<string, string>> {
  return (await kubeGet(cluster.server, cluster.token, "/apis/apps/v1/namespaces/platform-system/deployments/metrics-server")).body.spec.template.metadata.labels;
}

async function namespaceExists(cluster: TestCluster, name: string): Promise<boolean> {
  const found = await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${name}`);
  return found.status === 200 && found.body.status?.phase !== "Terminating";
}

describe("a fleet deployed ring by ring on two local clusters", function () {
  this.timeout(900_000);
  let canary: TestCluster;
  let eu: TestCluster;
  let source: TestCluster;
  let checkout: TempCheckout;
  const writeSource = (values: string) => fs.writeFileSync(path.join(checkout.dir, "environments", `${SOURCE}.yaml`), sourceFile(source, values));
  const recordOf = () =>
    fs
      .readFileSync(path.join(checkout.env.PLATFORM_DATA!, "fleet-promotions.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { kind: string; member?: string; result?: string });

  before(async () => {
    // One after another: three control planes starting at once on two cores can miss the cluster's 60 s start bound.
    canary = await startTestCluster();
    eu = await startTestCluster();
    source = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: canary.kubeconfigPath });
    fs.writeFileSync(path.join(checkout.dir, "environments", `${FLEET}.yaml`), fleetFile(canary, eu));
    writeSource("");
    const fill = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", `${FLEET}-canary`, "--from", CHART_SOURCE]);
    expect(fill.code, fill.stderr).to.equal(0);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await Promise.all([canary?.dispose(), eu?.dispose(), source?.dispose()]);
  });

  it("up deploys the canary ring before ring 1 starts, each member's stacks named <layer>-<member> on its own cluster", async () => {
    const [up, sourceUp] = await Promise.all([checkout.cli(["up", "--env", FLEET, "--json"]), checkout.cli(["up", "--env", SOURCE])]);
    expect(sourceUp.code, sourceUp.stdout + sourceUp.stderr).to.equal(0);
    expect(up.code, up.stderr).to.equal(0);
    const document = JSON.parse(up.stdout) as { rings: unknown; members: readonly MemberDocument[] };
    expect(document.rings).to.deep.equal([{ state: "passed", ring: 0 }, { state: "passed", ring: 1 }]);
    const [first, second] = document.members;
    expect([first.member, second.member]).to.deep.equal([`${FLEET}-canary`, `${FLEET}-eu`]);
    expect(first.run!.run.stacks.map((result) => result.stack.name)).to.deep.equal([`foundation-${FLEET}-canary`]);
    expect(Date.parse(first.run!.run.finishedAt)).to.be.at.most(Date.parse(second.run!.run.startedAt));
    expect(await namespaceExists(canary, "platform-system")).to.equal(true);
    expect(await namespaceExists(eu, "platform-system")).to.equal(true);
  });

  it("status shows each member of the fleet with its stacks", async () => {
    const status = await checkout.cli(["status", "--env", FLEET, "--json"]);
    expect(status.code, status.stderr).to.equal(0);
    const members = (JSON.parse(status.stdout) as { members: readonly { env: string; stacks: readonly { stack: string; status?: string }[] }[] }).members;
    expect(members.map((member) => member.env)).to.deep.equal([`${FLEET}-canary`, `${FLEET}-eu`]);
    for (const member of members) expect(member.stacks.map((stack) => stack.stack)).to.deep.equal([`foundation-${member.env}`]);
  });

  it("promote goes to the canary first, waits out the canary's soak before ring 1; killed with kill -9 during ring 1, the same command resumes and each member is promoted exactly once", async () => {
    writeSource("{ podLabels: { release: r2 } }");
    const sourceUp = await checkout.cli(["up", "--env", SOURCE]);
    expect(sourceUp.code, sourceUp.stdout + sourceUp.stderr).to.equal(0);

    const killed = checkout.startCli(["promote", SOURCE, FLEET, "--verify-timeout", "60"]);
    let ended = false;
    void killed.done.then(() => (ended = true));
    await waitFor("ring 1 to start promoting", async () => {
      if (ended) throw new Error(`the promotion ended before ring 1:\n${killed.output()}`);
      return killed.output().includes(`[${FLEET}-eu]`);
    }, 300_000);
    process.kill(-killed.pid, "SIGKILL");
    await killed.done;
    const output = killed.output();
    const soaked = output.indexOf(`soak ${FLEET}-canary: done`);
    expect(output, "the wait shows the time left").to.match(new RegExp(`soak ${FLEET}-canary: waiting, \\d+s left of ${SOAK}`));
    expect(soaked, "the canary's soak ended before ring 1 started").to.be.greaterThan(-1).and.lessThan(output.indexOf(`[${FLEET}-eu]`));
    await waitFor("the killed promotion's engine processes to end", async () => engineProcessesOf(checkout).length === 0, 120_000);
    expect(await metricsServerLabels(canary), "the canary was promoted before ring 1 started").to.deep.include({ release: "r2" });

    const resumed = await checkout.cli(["promote", SOURCE, FLEET, "--json", "--verify-timeout", "60"]);
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    const report = JSON.parse(resumed.stdout) as { result: string; resumed: boolean; members: readonly { member: string; result: string; earlier?: boolean }[] };
    expect(report).to.deep.include({ result: "promoted", resumed: true });
    expect(report.members.map(({ member, result, earlier }) => ({ member, result, earlier }))).to.deep.equal([
      { member: `${FLEET}-canary`, result: "promoted", earlier: true },
      { member: `${FLEET}-eu`, result: "promoted", earlier: undefined },
    ]);
    const promotedEntries = recordOf().filter((entry) => entry.kind === "member" && entry.result === "promoted");
    expect(promotedEntries.map((entry) => entry.member)).to.deep.equal([`${FLEET}-canary`, `${FLEET}-eu`]);
    expect(await metricsServerLabels(eu)).to.deep.include({ release: "r2" });
    const again = await checkout.cli(["promote", SOURCE, FLEET, "--resume"]);
    expect(again.code, "nothing left to resume").to.equal(3);
  });
});
