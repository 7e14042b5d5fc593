import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { openStores } from "../../orchestrator/backend/stores";
import { waitFor } from "../../tools/cluster/processes";
import { startAzurite, type TestBlobBackend } from "../support/azurite";
import { holdEngine } from "../support/held-engine";
import { addLocalEnvironment } from "../support/local-environment";
import { tempCheckout, type CommandResult, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

const ENV = "shared";

function run(result: CommandResult): RunRecord {
  expect(result.code, `${result.stdout}\n${result.stderr}`).to.equal(0);
  return (JSON.parse(result.stdout) as { run: RunRecord }).run;
}

/** Two separate checkouts, each with its own `.platform`, sharing one Azurite state backend and one cluster. */
describe("beyond one machine: two checkouts sharing a blob backend (Azurite)", function () {
  this.timeout(900_000);
  let cluster: TestCluster;
  let azurite: TestBlobBackend;
  let a: TempCheckout;
  let b: TempCheckout;
  const runIds = { a: [] as string[], b: [] as string[] };

  before(async () => {
    cluster = await startTestCluster();
    azurite = await startAzurite();
    const shared = { PULUMI_BACKEND_URL: azurite.url, ...azurite.envVars, KUBECONFIG: cluster.kubeconfigPath, PULUMI_CONFIG_PASSPHRASE: "shared-backend-passphrase" };
    a = tempCheckout({ ...shared, PLATFORM_HOLDER: "checkout-a" });
    b = tempCheckout({ ...shared, PLATFORM_HOLDER: "checkout-b" });
    for (const checkout of [a, b]) await addLocalEnvironment(checkout, ENV, cluster.kubeconfigPath);
  });
  after(async () => {
    a?.dispose();
    b?.dispose();
    await azurite?.dispose();
    await cluster?.dispose();
  });

  const leaseExists = async () => (await azurite.client.getContainerClient("state").getBlobClient(`.platform/locks/${ENV}.json`).exists());

  it("runs up, preview, refresh, drift, status and history against the blob backend, from either checkout", async () => {
    const up = run(await a.cli(["up", "--env", ENV, "--layers", "foundation", "--json"]));
    expect(up.stacks.map((s) => s.outcome.status)).to.deep.equal(["succeeded"]);
    runIds.a.push(up.id);
    const stateBlobs: string[] = [];
    for await (const blob of azurite.client.getContainerClient("state").listBlobsFlat({ prefix: ".pulumi/stacks/" })) stateBlobs.push(blob.name);
    expect(stateBlobs.some((name) => name.includes(`foundation-${ENV}`)), "stack state is in the blob container").to.equal(true);
    expect(fs.existsSync(path.join(a.env.PLATFORM_DATA!, "state", ".pulumi")), "nothing in the local file backend").to.equal(false);

    const preview = run(await b.cli(["preview", "--env", ENV, "--layers", "foundation", "--json"]));
    runIds.b.push(preview.id);
    const refresh = run(await b.cli(["refresh", "--env", ENV, "--layers", "foundation", "--json"]));
    runIds.b.push(refresh.id);
    // From a: a chart from a local mirror is recorded by its absolute path, which differs between checkouts.
    const drift = await a.cli(["drift", "--env", ENV, "--layers", "foundation", "--json"]);
    expect(drift.code, drift.stdout).to.equal(0);
    expect(JSON.parse(drift.stdout).verdict).to.equal("clean");
    const status = JSON.parse((await b.cli(["status", "--env", ENV, "--json"])).stdout);
    expect(status.stacks.find((s: { stack: string }) => s.stack === `foundation-${ENV}`).deployed, "b sees a's up").to.equal(true);
    expect(await leaseExists(), "every run released the lock").to.equal(false);
  });

  it("refuses a run and a drift check from a second checkout while the first runs (exit 4, holder named)", async () => {
    // Checkout a's up is held at its `pulumi up` (inside its lock) until both refusals are seen, however slow the machine.
    const held = holdEngine("up");
    try {
      const first = a.startCli(["up", "--env", ENV, "--layers", "foundation", "--force", "--json"], held.env);
      await held.reached(first);
      expect(await leaseExists(), "checkout a's lease is in the backend").to.equal(true);
      const refused = await b.cli(["up", "--env", ENV, "--layers", "foundation"]);
      expect(refused.code, refused.stderr).to.equal(4);
      expect(refused.stderr).to.match(new RegExp(`environment ${ENV} is locked by checkout-a: .*\\(pid \\d+, up since `));
      const drift = await b.cli(["drift", "--env", ENV]);
      expect(drift.code, drift.stderr).to.equal(4);
      expect(drift.stderr).to.contain("locked by checkout-a");
      held.open();
      runIds.a.push(run(await first.done).id);
    } finally {
      held.open();
      held.dispose();
    }
  });

  it("takes over the lock of a holder that died without releasing once its lease expires, with a note", async () => {
    // `lock acquire` exits holding the lease and never renews it: from the lock's side, a dead holder.
    // Its lease lasts an hour, so the refusal cannot race its expiry on a slow machine.
    const dead = await a.exec("bash", ["-c", `PLATFORM_LOCK_TTL_SECONDS=3600 bash tools/run orchestrator/cli/main.ts lock acquire --env ${ENV} --id crashed-run`]);
    expect(dead.code, dead.stderr).to.equal(0);
    const early = await b.cli(["up", "--env", ENV, "--layers", "foundation"]);
    expect(early.code, early.stderr).to.equal(4);
    const expiresIn = Number(/locked by checkout-a: .*workflow since .*its lease expires (\d+) s from now/.exec(early.stderr)?.[1]);
    expect(expiresIn, early.stderr).to.be.within(1, 3600);
    // The hour passes at once: the same record, now with a 1 s lease, written as the holder's last renewal
    // would have been; then wait until the backend itself says the lease has expired.
    const blob = azurite.client.getContainerClient("state").getBlockBlobClient(`.platform/locks/${ENV}.json`);
    const record = JSON.parse((await blob.downloadToBuffer()).toString("utf8")) as { ttlMs: number };
    const body = JSON.stringify({ ...record, ttlMs: 1000 });
    await blob.upload(body, Buffer.byteLength(body));
    const locks = openStores({ backendUrl: azurite.url, dataDir: "/nonexistent", env: { ...process.env, ...azurite.envVars } }).locks;
    await waitFor("the dead holder's lease to expire by the backend's clock", async () => (await locks.holder(ENV)) === undefined, 120_000);
    const taken = await b.cli(["up", "--env", ENV, "--layers", "foundation", "--json"]);
    runIds.b.push(run(taken).id);
    expect(taken.stderr).to.match(/took over the run lock of checkout-a: .* its lease expired \d+ s ago without renewal/);
    expect(await leaseExists()).to.equal(false);
  });

  it("history and status in either checkout show the runs of both", async () => {
    for (const checkout of [a, b]) {
      const history = JSON.parse((await checkout.cli(["history", "--env", ENV, "--json"])).stdout) as { runs: RunRecord[] };
      const ids = history.runs.map((r) => r.id);
      expect(ids).to.include.members([...runIds.a, ...runIds.b]);
      expect(fs.existsSync(path.join(checkout.env.PLATFORM_DATA!, "history", "runs.jsonl")), "no local run history file").to.equal(false);
    }
    const destroy = run(await b.cli(["destroy", "--env", ENV, "--json"]));
    expect(destroy.status).to.equal("succeeded");
  });
});
