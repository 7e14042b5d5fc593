import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { KubeClient } from "../../orchestrator/cluster/kube-client";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { clusterListing } from "../support/cluster-listing";
import { kubeGet } from "../support/kube-api";
import { addLocalEnvironment } from "../support/local-environment";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

const ENV = "faults";
/** The delete timeout the engine holds for the Namespace named `name` in a stack's state, in seconds (undefined: the provider's 10-minute default). */
async function namespaceDeleteTimeout(checkout: TempCheckout, stack: string, name: string): Promise<number | undefined> {
  const exported = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi stack export --stack ${stack}`]);
  expect(exported.code, exported.stderr).to.equal(0);
  type StateResource = { type: string; outputs?: { metadata?: { name?: string } }; customTimeouts?: { delete?: number } };
  const resources = (JSON.parse(exported.stdout) as { deployment: { resources: StateResource[] } }).deployment.resources;
  const namespace = resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.outputs?.metadata?.name === name);
  expect(namespace, `Namespace ${name} in ${stack}'s state`).to.not.equal(undefined);
  return namespace!.customTimeouts?.delete;
}

function lastRecord(checkout: TempCheckout): RunRecord {
  const lines = fs.readFileSync(path.join(checkout.env.PLATFORM_DATA!, "history", "runs.jsonl"), "utf8").trim().split("\n");
  return JSON.parse(lines.filter((line) => !line.includes('"kind":"start"')).pop()!) as RunRecord;
}

describe("destroy leaves nothing but what it reports", function () {
  this.timeout(1_800_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;
  let api: KubeClient;

  before(async () => {
    cluster = await startTestCluster();
    api = new KubeClient(cluster.server, cluster.token);
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    await addLocalEnvironment(checkout, ENV, cluster.kubeconfigPath);
  });
  after(async () => {
    checkout?.dispose();
    await cluster?.dispose();
  });

  it("a namespace stuck Terminating fails destroy at its 2-minute delete timeout (local's bound, kept in the state; not the engine's 10-minute default), named with its causes; once they are removed destroy finishes", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--layers", "foundation"]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    // The bound is the engine's own: the Namespace's delete timeout in the state, from local's namespaceDeleteTimeoutSeconds.
    // Checked there rather than by the wall clock, so a slow machine neither fails the test nor hides a lost bound.
    expect(await namespaceDeleteTimeout(checkout, `foundation-${ENV}`, "platform-system"), "delete timeout of Namespace platform-system (s)").to.equal(120);
    // Two blockers a person might meet: an object whose finalizer no controller removes, and an APIService whose service is gone.
    await api.create("/api/v1/namespaces/platform-system/configmaps", { metadata: { name: "blocker", finalizers: ["example.com/hold"] }, data: { why: "blocks deletion" } });
    await api.create("/apis/apiregistration.k8s.io/v1/apiservices", {
      metadata: { name: "v1alpha1.hold.example.com" },
      spec: { group: "hold.example.com", version: "v1alpha1", service: { namespace: "platform-system", name: "missing", port: 443 }, insecureSkipTLSVerify: true, groupPriorityMinimum: 1000, versionPriority: 15 },
    });

    const blocked = await checkout.cli(["destroy", "--env", ENV]);
    console.log(`blocked destroy: exit ${blocked.code}\n${blocked.stdout.split("\n").filter((l) => /stuck|destroy faults/.test(l)).join("\n")}`);
    expect(blocked.code, blocked.stdout + blocked.stderr).to.equal(1);
    const summary = blocked.stdout.split("\n").find((line) => /^\s+foundation-faults\s+failed/.test(line));
    expect(summary, blocked.stdout).to.match(/namespace platform-system stuck Terminating for \d+ s: /);
    expect(summary).to.contain("APIService v1alpha1.hold.example.com unavailable");
    expect(summary).to.contain("finalizer example.com/hold on configmaps/blocker");
    expect(summary).to.not.contain("timed out waiting");
    // Said while the engine waited, not only at the end.
    expect(blocked.stdout).to.match(/foundation-faults: namespace platform-system stuck Terminating for \d+ s: .*the engine gives up on it after the namespace delete timeout/);
    const recorded = lastRecord(checkout).stacks.find((s) => s.stack.layer === "foundation")!.outcome;
    expect(recorded.status).to.equal("failed");
    if (recorded.status !== "failed") return;
    expect(recorded.error).to.contain("kubectl delete apiservice v1alpha1.hold.example.com");
    expect(recorded.error).to.contain("kubectl patch configmaps/blocker -n platform-system");
    expect(recorded.detail).to.match(/^engine: /);
    // It ended because that bound ran out: the engine's error is the Namespace's delete timing out.
    console.log(`engine's error: ${recorded.detail!.slice(0, 300)}`);
    expect(recorded.detail, "the engine gave up on the Namespace at its delete timeout").to.match(/foundation-ns \(kubernetes:core\/v1:Namespace\)/).and.to.match(/timed out waiting/);

    await api.delete("/apis/apiregistration.k8s.io/v1/apiservices/v1alpha1.hold.example.com");
    const held = await checkout.cli(["destroy", "--env", ENV, "--json"]);
    expect(held.code, held.stderr).to.equal(1);
    const output = JSON.parse(held.stdout) as { run: RunRecord; stuckNamespaces: { namespace: string; layer: string; causes: { condition: string; text: string }[] }[] };
    expect(output.stuckNamespaces.map((s) => [s.namespace, s.layer])).to.deep.equal([["platform-system", "foundation"]]);
    expect(output.stuckNamespaces[0]!.causes.map((c) => c.condition)).to.include("NamespaceFinalizersRemaining").and.not.include("NamespaceDeletionDiscoveryFailure");
    const error = output.run.stacks.find((s) => s.stack.layer === "foundation")!.outcome;
    expect(error.status === "failed" && error.error).to.match(/^namespace platform-system stuck Terminating for \d+ s: finalizer example\.com\/hold on configmaps\/blocker \[NamespaceFinalizersRemaining\]/);

    patchFinalizersAway(cluster, "configmap", "blocker", "platform-system");
    const finished = await checkout.cli(["destroy", "--env", ENV]);
    console.log(`destroy after the blockers were removed: exit ${finished.code}`);
    expect(finished.code, finished.stdout + finished.stderr).to.equal(0);
    expect((await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/platform-system")).status).to.equal(404);
  });

  it("--purge-crds needs --yes where no terminal asks (exit 3, nothing deleted); with it, warns with counts and leaves none of the platform's CRDs", async () => {
    const up = await checkout.cli(["up", "--env", ENV, "--layers", "ingress,mesh", "--with-deps"]);
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    // A partial destroy, then an up of the same layers: the aggregation controller re-creates emissary's
    // aggregated ClusterRole after Helm's delete (a bare role, no owner), which would stop the reinstall.
    for (let round = 0; round < 2; round++) {
      const partial = await checkout.cli(["destroy", "--env", ENV, "--layers", "mesh,ingress"]);
      expect(partial.code, partial.stdout + partial.stderr).to.equal(0);
      const again = await checkout.cli(["up", "--env", ENV, "--layers", "ingress,mesh"]);
      expect(again.code, `round ${round}: ${again.stdout}${again.stderr}`).to.equal(0);
    }
    const crdsBefore = (await clusterListing(cluster)).crds;
    expect(crdsBefore).to.include.members(["certificates.cert-manager.io", "issuers.cert-manager.io", "peerauthentications.security.istio.io"]);

    const refused = await checkout.cli(["destroy", "--env", ENV, "--purge-crds"]);
    expect(refused.code, refused.stderr).to.equal(3);
    expect(refused.stderr).to.contain("error: --purge-crds deletes CRDs and every custom resource of them, and no terminal can confirm it here: add --yes to confirm; nothing was run");
    expect((await clusterListing(cluster)).crds).to.deep.equal(crdsBefore);
    expect((await kubeGet(cluster.server, cluster.token, "/api/v1/namespaces/ingress")).status).to.equal(200);

    // A custom resource outside the platform's stacks: the purge takes it along, and says so first.
    await api.create("/apis/cert-manager.io/v1/namespaces/default/issuers", { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "someone-elses" }, spec: { selfSigned: {} } });
    const purged = await checkout.cli(["destroy", "--env", ENV, "--purge-crds", "--yes", "--json"]);
    console.log(`destroy --purge-crds --yes: exit ${purged.code}`);
    expect(purged.code, purged.stderr).to.equal(0);
    expect(purged.stderr).to.match(/warning: --purge-crds deletes \d+ CRD\(s\) of the platform's charts, and with each CRD every custom resource of it in every namespace \(1 in all\)/);
    expect(purged.stderr).to.contain("  issuers.cert-manager.io: 1 custom resource(s) cluster-wide");
    const output = JSON.parse(purged.stdout) as { purgedCrds: string[]; keptCrds: unknown[] };
    expect(output.purgedCrds).to.include.members(["certificates.cert-manager.io", "peerauthentications.security.istio.io"]);
    expect(output.keptCrds).to.deep.equal([]);
    // The local cluster has no CRDs of its own: every one left was the platform's.
    expect((await clusterListing(cluster)).crds).to.deep.equal([]);
    // Helm deleted the templated CRDs without the keep policy (emissary's); the purge took the rest.
    expect(crdsBefore).to.include.members(output.purgedCrds);
  });
});

/** Removes an object's finalizers as a person would, with kubectl. */
function patchFinalizersAway(cluster: TestCluster, kind: string, name: string, namespace: string): void {
  execFileSync("kubectl", ["--kubeconfig", cluster.kubeconfigPath, "patch", kind, name, "-n", namespace, "--type=merge", "-p", '{"metadata":{"finalizers":null}}'], { stdio: "pipe" });
}
