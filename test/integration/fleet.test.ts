import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// A fleet of two lean members (foundation only), each on its own cluster: ring 0 is the canary,
// ring 1 the region. The machinery is the same for more members and layers.
const FLEET = "fl";
const LEAN = ["ingress", "observability", "gitops", "security", "mesh", "data"].map((layer) => `  ${layer}: { enabled: false }`).join("\n");

function fleetFile(canary: TestCluster, eu: TestCluster): string {
  return [
    "extends: local",
    "secrets: []",
    `layers:\n${LEAN}`,
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

async function namespaceExists(cluster: TestCluster, name: string): Promise<boolean> {
  const found = await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/${name}`);
  return found.status === 200 && found.body.status?.phase !== "Terminating";
}

describe("a fleet deployed ring by ring on two local clusters", function () {
  this.timeout(900_000);
  let canary: TestCluster;
  let eu: TestCluster;
  let checkout: TempCheckout;

  before(async () => {
    [canary, eu] = await Promise.all([startTestCluster(), startTestCluster()]);
    checkout = tempCheckout({ KUBECONFIG: canary.kubeconfigPath });
    fs.writeFileSync(path.join(checkout.dir, "environments", `${FLEET}.yaml`), fleetFile(canary, eu));
    const fill = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", `${FLEET}-canary`, "--from", CHART_SOURCE]);
    expect(fill.code, fill.stderr).to.equal(0);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await Promise.all([canary?.dispose(), eu?.dispose()]);
  });

  it("up deploys the canary ring before ring 1 starts, each member's stacks named <layer>-<member> on its own cluster", async () => {
    const up = await checkout.cli(["up", "--env", FLEET, "--json"]);
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

  it("destroy removes ring 1 before the canary ring", async () => {
    const destroy = await checkout.cli(["destroy", "--env", FLEET, "--json"]);
    expect(destroy.code, destroy.stderr).to.equal(0);
    const members = (JSON.parse(destroy.stdout) as { members: readonly MemberDocument[] }).members;
    expect(members.map((member) => member.member)).to.deep.equal([`${FLEET}-eu`, `${FLEET}-canary`]);
    expect(Date.parse(members[0].run!.run.finishedAt)).to.be.at.most(Date.parse(members[1].run!.run.startedAt));
    expect(await namespaceExists(canary, "platform-system")).to.equal(false);
    expect(await namespaceExists(eu, "platform-system")).to.equal(false);
  });
});
