import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "../support/chart-source";
import { engineProcessesOf } from "../support/engine-processes";
import { kubeGet } from "../support/kube-api";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// A run killed while Helm installs or upgrades a release leaves it with no deployed newest revision;
// the next up (or destroy) repairs it first. The moment is made certain by waiting for workloads:
// emissary-ingress's LoadBalancer Service never gets an address here, so Helm stays in its wait with
// the revision pending until the run is killed, watchdog and engine plugins included (a crash, not a
// cancellation: a cancelled Helm marks its revision failed).
const ENV = "e2e-helm";
const STACKS = ["foundation", "ingress"].map((layer) => `${layer}-${ENV}`);
const OFF = ["observability", "gitops", "security", "mesh", "data"].map((l) => `  ${l}: { enabled: false }`).join("\n");
const RELEASE = "emissary-ingress";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGKILL, all at once; a process that already ended is fine. */
function killQuietly(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // gone already
  }
}

describe("Helm releases a killed run left stuck are repaired by the next run", function () {
  this.timeout(3_600_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;

  /** The environment file: waiting for workloads (the kill window) or not, and emissary's replica count (a change for the up to make). */
  const writeEnvironment = (wait: boolean, replicas: number) =>
    fs.writeFileSync(
      path.join(checkout.dir, "environments", `${ENV}.yaml`),
      `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\ncluster:\n  awaitWorkloads: ${wait}\nlayers:\n${OFF}\n  ingress:\n    components:\n      emissary: { replicas: ${replicas} }\n`,
    );

  /** Revisions of the release, newest first, as Helm's Secrets label them. */
  const revisions = async (): Promise<{ version: number; status: string }[]> => {
    const list = await kubeGet(cluster.server, cluster.token, `/api/v1/namespaces/ingress/secrets?labelSelector=owner%3Dhelm%2Cname%3D${RELEASE}`);
    return ((list.body?.items ?? []) as { metadata: { labels: Record<string, string> } }[])
      .map(({ metadata }) => ({ version: Number(metadata.labels.version), status: metadata.labels.status! }))
      .sort((a, b) => b.version - a.version);
  };

  /** Starts an up that changes the release while waiting for workloads, and kills every process of it once the release's newest revision is `status`. */
  const killUpWhileHelmLeaves = async (status: "pending-install" | "pending-upgrade", replicas: number) => {
    writeEnvironment(true, replicas);
    const run = checkout.startCli(["up", "--env", ENV]);
    let ended = false;
    void run.done.then(() => (ended = true));
    const deadline = Date.now() + 600_000;
    while ((await revisions())[0]?.status !== status && !ended && Date.now() < deadline) await sleep(100);
    expect((await revisions())[0]?.status, `the release never reached ${status}:\n${run.output()}`).to.equal(status);
    for (const pid of [-run.pid, ...engineProcessesOf(checkout)]) killQuietly(pid);
    await run.done;
    writeEnvironment(false, replicas);
    expect((await revisions())[0]?.status, "what the killed run left").to.equal(status);
  };

  const expectNoChanges = async (stacks: readonly string[]) => {
    for (const stack of stacks) {
      const preview = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${stack} --expect-no-changes --non-interactive`]);
      expect(preview.code, `${stack}: ${preview.stdout}\n${preview.stderr}`).to.equal(0);
    }
  };

  const historyNotes = (): string[] =>
    fs
      .readFileSync(path.join(checkout.env.PLATFORM_DATA!, "history", "runs.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { stacks?: { notes?: string[] }[] })
      .flatMap((record) => (record.stacks ?? []).flatMap((stack) => stack.notes ?? []));

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    writeEnvironment(false, 1);
    const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", ENV, "--from", CHART_SOURCE]);
    expect(charts.code, charts.stdout + charts.stderr).to.equal(0);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) killQuietly(pid);
    checkout?.dispose();
    await cluster?.dispose();
  });

  it("destroys an environment whose first up was killed with a release pending-install, and removes what that release installed", async () => {
    await killUpWhileHelmLeaves("pending-install", 1);
    const destroy = await checkout.cli(["destroy", "--env", ENV]);
    expect(destroy.code, `${destroy.stdout}\n${destroy.stderr}`).to.equal(0);
    expect(destroy.stdout + destroy.stderr).to.contain(`${RELEASE}: revision 1 left pending-install by an interrupted run, and no revision was ever deployed; uninstalled it (hooks skipped), the destroy goes on without it`);
    expect(await revisions()).to.deep.equal([]);
    // Not in the stack's state (its create never finished), so only the repair's uninstall removes its cluster-wide objects.
    const roles = await kubeGet(cluster.server, cluster.token, "/apis/rbac.authorization.k8s.io/v1/clusterroles");
    const left = (roles.body.items as { metadata: { name: string; annotations?: Record<string, string> } }[]).filter((role) => role.metadata.annotations?.["meta.helm.sh/release-name"] === RELEASE);
    expect(left.map((role) => role.metadata.name), "ClusterRoles Helm installed for the release").to.deep.equal([]);
  });

  it("uninstalls a release a killed first up left pending-install, and the same up installs it again", async () => {
    await killUpWhileHelmLeaves("pending-install", 1);
    const up = await checkout.cli(["up", "--env", ENV]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).to.equal(0);
    const note = `${RELEASE}: revision 1 left pending-install by an interrupted run, and no revision was ever deployed; uninstalled it (hooks skipped), this up installs it again`;
    expect(up.stdout + up.stderr).to.contain(note);
    expect(historyNotes()).to.include(note);
    expect(await revisions()).to.deep.equal([{ version: 1, status: "deployed" }]);
    await expectNoChanges(STACKS);
  });

  it("rolls back an upgrade a killed up left pending-upgrade, says so, and the next up's change goes through", async () => {
    await killUpWhileHelmLeaves("pending-upgrade", 2);
    const [stuck, deployed] = await revisions();
    writeEnvironment(false, 3);
    const up = await checkout.cli(["up", "--env", ENV]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).to.equal(0);
    const note = `${RELEASE}: revision ${stuck!.version} left pending-upgrade by an interrupted run; rolled back to revision ${deployed!.version} (last deployed)`;
    expect(up.stdout + up.stderr).to.contain(note);
    expect(historyNotes()).to.include(note);
    expect((await revisions())[0]?.status).to.equal("deployed");
    const emissary = await kubeGet(cluster.server, cluster.token, `/apis/apps/v1/namespaces/ingress/deployments/${RELEASE}`);
    expect(emissary.body?.spec?.replicas).to.equal(3);
    await expectNoChanges(STACKS);
  });

  it("removes the aggregated ClusterRole a destroy killed before its sweep left, and installs the release again", async () => {
    const up = await checkout.cli(["up", "--env", ENV]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).to.equal(0);
    const destroy = await checkout.cli(["destroy", "--env", ENV, "--layers", "ingress"]);
    expect(destroy.code, `${destroy.stdout}\n${destroy.stderr}`).to.equal(0);
    // What a destroy killed after Helm's uninstall left (seen with kill -9): the aggregation controller's apply,
    // landing right after Helm deleted the role, made it again with nothing but its name. The other is no release's.
    for (const name of [RELEASE, "someone-elses-aggregate"]) aggregationControllerApply(cluster, name);
    const plain = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi up --stack ingress-${ENV} --yes --skip-preview --non-interactive`]);
    expect(plain.code, "the engine's up alone").to.not.equal(0);
    expect(plain.stdout + plain.stderr).to.contain(`ClusterRole "${RELEASE}" in namespace "" exists and cannot be imported into the current release`);

    const recovered = await checkout.cli(["up", "--env", ENV]);
    expect(recovered.code, `${recovered.stdout}\n${recovered.stderr}`).to.equal(0);
    const note = `${RELEASE}: removed ClusterRole ${RELEASE} that Kubernetes' aggregation controller re-created after an earlier uninstall (no owner; only that controller wrote it) and that the release's chart makes; the install would refuse it`;
    expect(recovered.stdout + recovered.stderr).to.contain(note);
    expect(historyNotes()).to.include(note);
    expect(await revisions()).to.deep.equal([{ version: 1, status: "deployed" }]);
    const role = (name: string) => kubeGet(cluster.server, cluster.token, `/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`);
    expect((await role(RELEASE)).body?.metadata?.annotations?.["meta.helm.sh/release-name"], "the role the install made").to.equal(RELEASE);
    expect((await role("someone-elses-aggregate")).status, "a leftover no chart of the stack makes").to.equal(200);
    await expectNoChanges(STACKS);
  });
});

/** Server-side applies a ClusterRole of only a name as the aggregation controller does, so it has no owner and no field manager. */
function aggregationControllerApply(cluster: TestCluster, name: string): void {
  const manifest = `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}\n`;
  execFileSync("kubectl", ["--kubeconfig", cluster.kubeconfigPath, "apply", "--server-side", "--field-manager=clusterrole-aggregation-controller", "--force-conflicts", "-f", "-"], { input: manifest, stdio: "pipe" });
}
