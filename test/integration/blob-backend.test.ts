import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { BlobStore } from "../../orchestrator/backend/blob-store";
import { acquireLease, lockKey, type HeldLease } from "../../orchestrator/backend/lease-lock";
import { openStores } from "../../orchestrator/backend/stores";
import { LockedError, recoveryNote } from "../../orchestrator/locks/environment-lock";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { startAzurite } from "../support/azurite";
import { startS3Emulator } from "../support/s3-emulator";
import { waitFor } from "../../tools/cluster/processes";

const REPO = path.resolve(__dirname, "../..");

/** The store with every successful replace (a lease renewal) counted; `next()` resolves at the next renewal or within a second. */
function renewalCounter(store: BlobStore): { store: BlobStore; count(): number; next(): Promise<void> } {
  let renewed = 0;
  const wake: Array<() => void> = [];
  const counting: BlobStore = {
    where: store.where,
    read: (key) => store.read(key),
    create: (key, body) => store.create(key, body),
    remove: (key, etag) => store.remove(key, etag),
    list: (prefix) => store.list(prefix),
    replace: async (key, body, etag) => {
      const next = await store.replace(key, body, etag);
      if (next) {
        renewed++;
        wake.splice(0).forEach((resolve) => resolve());
      }
      return next;
    },
  };
  return {
    store: counting,
    count: () => renewed,
    // Also wakes after a second without a renewal, so the caller looks at the lease again instead of waiting forever.
    next: () => new Promise<void>((resolve) => (wake.push(resolve), setTimeout(resolve, 1000).unref())),
  };
}

/** The lease lock and run history over each shared store, against its emulator: Azurite (azblob://) and gofakes3 (s3://). */
for (const [kind, start] of [
  ["azblob:// (Azurite)", startAzurite],
  ["s3:// (gofakes3)", startS3Emulator],
] as const) {
  describe(`shared backend stores over ${kind}`, function () {
    this.timeout(120_000);
    let backend: { url: string; envVars: Record<string, string>; dispose(): Promise<void> };
    before(async () => {
      backend = await start();
    });
    after(async () => {
      await backend?.dispose();
    });
    const stores = (holder: string) =>
      openStores({ backendUrl: backend.url, dataDir: "/nonexistent", env: { ...process.env, ...backend.envVars, PLATFORM_LOCK_TTL_SECONDS: "3", PLATFORM_HOLDER: holder } });

    it("keeps a lease past its TTL only by renewals, refuses others by name, and releases it", async () => {
      const [a, b] = [stores("machine-a"), stores("machine-b")];
      // Machine a's lease (3 s, renewed every second) over a store that reports each renewal: the test
      // waits for renewals, not for a time. Four renewals, each at least a second after the one before,
      // carry the lease past its 3 s TTL; without them it would have expired and b would take it.
      const renewals = renewalCounter(a.blobs!);
      const held = await acquireLease(renewals.store, "dev", "up", { ttlMs: 3000, holder: "machine-a" });
      // Held all along, as b sees it; a lease that is not renewed expires here and fails the test.
      while (renewals.count() < 4) {
        expect((await b.locks.holder("dev"))?.holder, `holder after ${renewals.count()} renewal(s)`).to.equal("machine-a");
        await renewals.next();
      }
      const refused = await b.locks.acquire("dev", "up").then(() => undefined, (e: unknown) => e);
      expect(refused).to.be.instanceOf(LockedError);
      expect((refused as Error).message).to.match(/locked by machine-a: /);
      expect((await b.locks.holder("dev"))?.holder).to.equal("machine-a");
      await held.release();
      await (await b.locks.acquire("dev", "up")).release();
    });

    it("takes over the lease of a holder that died, once it has expired by the store's clock", async () => {
      const a = stores("machine-a");
      const record = { id: "dead-run", pid: 1, host: "gone", user: "ci", operation: "up", startedAt: "2026-11-28T00:00:00Z", ttlMs: 1000, holder: "dead-runner" };
      expect(await a.blobs!.create(lockKey("prod"), JSON.stringify(record))).to.be.a("string");
      // Until the store's clock says the lease has expired: an event of the store, whatever this machine's speed.
      await waitFor("the dead holder's lease to expire by the store's clock", async () => (await a.locks.holder("prod")) === undefined, 60_000);
      const taken = (await a.locks.acquire("prod", "up")) as HeldLease;
      expect(recoveryNote(taken)).to.match(/^took over the run lock of dead-runner: ci@gone .* its lease expired \d+ s ago/);
      await taken.release();
      expect(await a.locks.holder("prod")).to.equal(undefined);
    });

    it("holds a CI workflow's lock after `lock acquire` exits: joined under its id, refused to others, released only under that id", async () => {
      const lock = (verb: string, id: string) =>
        promisify(execFile)("bash", ["tools/run", "orchestrator/cli/main.ts", "lock", verb, "--env", "local", "--id", id, "--backend", backend.url], {
          cwd: REPO,
          env: { ...process.env, ...backend.envVars, PLATFORM_LOCK_TTL_SECONDS: "600", PLATFORM_HOLDER: "deploy #42" },
        });
      expect((await lock("acquire", "gha-42-1")).stdout).to.match(/lock on local held under gha-42-1/);
      const laptop = stores("laptop");
      expect(await laptop.locks.holder("local")).to.deep.include({ id: "gha-42-1", holder: "deploy #42", operation: "workflow", alive: true });
      expect(await laptop.locks.acquire("local", "up").then(() => undefined, (e: unknown) => e)).to.be.instanceOf(LockedError);
      const job = await laptop.locks.acquireShared("local", "gha-42-1");
      await job.release();
      expect(await laptop.locks.holder("local"), "a job that joined leaves the lock to the workflow").to.deep.include({ id: "gha-42-1" });
      const other = await lock("release", "gha-43-1").then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(other?.code).to.equal(4);
      expect(other?.stderr).to.match(/held by another run, not gha-43-1; left alone/);
      expect((await lock("release", "gha-42-1")).stdout).to.match(/lock on local released/);
      expect(await laptop.locks.holder("local")).to.equal(undefined);
    });

    it("keeps one history object per run, readable from another machine", async () => {
      const run = (id: string, startedAt: string): RunRecord => ({ id, env: "dev", operation: "up", startedAt, finishedAt: startedAt, durationMs: 1, user: "u", host: "h", status: "succeeded", stacks: [] });
      await stores("machine-a").history.append(run("r1", "2026-11-01T00:00:00Z"));
      await stores("machine-b").history.append(run("r2", "2026-11-02T00:00:00Z"));
      expect((await stores("machine-a").history.read({ env: "dev" })).map((r) => r.id)).to.deep.equal(["r1", "r2"]);
    });
  });
}
