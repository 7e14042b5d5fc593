import { expect } from "chai";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { BlobStore } from "../../orchestrator/backend/blob-store";
import { acquireLease, leaseHolder, lockKey, type HeldLease } from "../../orchestrator/backend/lease-lock";
import { openStores } from "../../orchestrator/backend/stores";
import { LockedError, recoveryNote } from "../../orchestrator/locks/environment-lock";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { startAzurite } from "../support/azurite";
import { startS3Emulator } from "../support/s3-emulator";
import { waitFor } from "../../tools/cluster/processes";

const REPO = path.resolve(__dirname, "../..");

/**
 * The store with blob ages on a clock the test moves: each write (create, renewal) restarts its key's
 * age at the test's time. Writes, ETags and their conditions are the emulator's own; only time is the
 * test's, so a lease is kept past its TTL by renewals and nothing else, however slow the machine.
 */
function clockedStore(store: BlobStore): { store: BlobStore; advance(ms: number): void } {
  let now = 0;
  const writtenAt = new Map<string, number>();
  const written = (key: string, etag: string | undefined) => (etag && writtenAt.set(key, now), etag);
  return {
    store: {
      where: store.where,
      read: async (key) => {
        const blob = await store.read(key);
        return blob && { ...blob, ageMs: now - (writtenAt.get(key) ?? now) };
      },
      create: async (key, body) => written(key, await store.create(key, body)),
      replace: async (key, body, etag) => written(key, await store.replace(key, body, etag)),
      remove: (key, etag) => store.remove(key, etag),
      list: (prefix) => store.list(prefix),
    },
    advance: (ms) => void (now += ms),
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

    it("keeps a lease past its TTL only by renewals, refuses others by name, and is taken over once they stop", async () => {
      const clock = clockedStore(stores("machine-a").blobs!);
      // Machine a's lease (3 s), renewed when the test says, on a clock the test moves: two seconds pass
      // between renewals, eight in all, so the lease outlives its TTL only because each renewal was written.
      const lost: string[] = [];
      const lease = async (holder: string) => {
        let renew: () => Promise<void> = async () => undefined;
        const held = await acquireLease(clock.store, "dev", "up", { ttlMs: 3000, holder, onLost: (m) => lost.push(m), schedule: (r) => ((renew = r), () => undefined) });
        return { held, renew: () => renew() };
      };
      const a = await lease("machine-a");
      for (let renewal = 1; renewal <= 4; renewal++) {
        clock.advance(2000);
        expect((await leaseHolder(clock.store, "dev"))?.holder, `holder before renewal ${renewal}`).to.equal("machine-a");
        await a.renew();
      }
      clock.advance(2000);
      const refused = await lease("machine-b").then(() => undefined, (e: unknown) => e);
      expect(refused).to.be.instanceOf(LockedError);
      expect((refused as Error).message).to.match(/locked by machine-a: .*its lease expires 1 s from now/);
      // No renewal from here: once the lease has run out, the next run takes it over and says so.
      clock.advance(2000);
      expect(await leaseHolder(clock.store, "dev")).to.equal(undefined);
      const b = await lease("machine-b");
      expect(recoveryNote(b.held)).to.match(/^took over the run lock of machine-a: .* its lease expired 1 s ago without renewal/);
      // a's next renewal finds the lease taken and stops, so its release leaves b's lease alone.
      await a.renew();
      expect(lost).to.have.length(1);
      expect(lost[0]).to.match(/was taken over by another run after this run failed to renew it within 3 s/);
      await a.held.release();
      expect((await leaseHolder(clock.store, "dev"))?.holder).to.equal("machine-b");
      await b.held.release();
      expect(await leaseHolder(clock.store, "dev")).to.equal(undefined);
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
