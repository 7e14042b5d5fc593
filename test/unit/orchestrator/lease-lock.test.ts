import { expect } from "chai";
import { BlobHistory } from "../../../orchestrator/backend/blob-history";
import { runStart } from "../../../orchestrator/history/record";
import { interruptedStacks } from "../../../orchestrator/history/stats";
import { acquireLease, leaseHolder, releaseLease } from "../../../orchestrator/backend/lease-lock";
import { LockedError, recoveryNote } from "../../../orchestrator/locks/environment-lock";
import type { RunRecord } from "../../../orchestrator/model/run-record";
import { MemoryBlobStore } from "../../support/memory-blob-store";

const TTL = 60_000;

async function refusal(attempt: Promise<unknown>): Promise<string> {
  const error = await attempt.then(() => undefined, (e: unknown) => e);
  expect(error).to.be.instanceOf(LockedError);
  return (error as Error).message;
}

describe("environment lock in a shared backend (lease)", () => {
  it("refuses a second run while the first holds the lease, naming the holder", async () => {
    const store = new MemoryBlobStore();
    const first = await acquireLease(store, "dev", "up", { ttlMs: TTL, holder: "runner-a" });
    const second = acquireLease(store, "dev", "destroy", { ttlMs: TTL, holder: "runner-b" });
    expect(await refusal(second)).to.match(/locked by runner-a: .*\(pid \d+, up since .*\); wait for that run; if it died, its lease expires 60 s from now/);
    expect((await leaseHolder(store, "dev"))?.holder).to.equal("runner-a");
    await first.release();
    expect(await leaseHolder(store, "dev")).to.equal(undefined);
    await (await acquireLease(store, "dev", "destroy", { ttlMs: TTL })).release();
  });

  it("takes over a lease whose holder stopped renewing once it has expired, and says so", async () => {
    const store = new MemoryBlobStore();
    await acquireLease(store, "dev", "up", { ttlMs: TTL, holder: "dead-runner" }); // never released, never renewed: the process died
    store.now = TTL - 1;
    expect(await refusal(acquireLease(store, "dev", "up", { ttlMs: TTL }))).to.match(/dead-runner/);
    store.now = TTL + 5_000;
    const taken = await acquireLease(store, "dev", "up", { ttlMs: TTL, holder: "runner-b" });
    expect(taken.recovered?.holder).to.equal("dead-runner");
    expect(recoveryNote(taken)).to.match(/^took over the run lock of dead-runner: .* its lease expired 5 s ago without renewal/);
    expect((await leaseHolder(store, "dev"))?.holder).to.equal("runner-b");
    await taken.release();
  });

  it("renews every third of its TTL, each renewal restarting the lease, and stops when another run took it", async () => {
    const store = new MemoryBlobStore();
    const lost: string[] = [];
    let renew: () => Promise<void> = async () => undefined;
    let every = 0;
    let stops = 0;
    const schedule = (r: () => Promise<void>, everyMs: number) => ((renew = r), (every = everyMs), () => void stops++);
    const held = await acquireLease(store, "dev", "up", { ttlMs: TTL, holder: "runner-a", onLost: (m) => lost.push(m), schedule });
    expect(every).to.equal(TTL / 3);
    store.now = TTL - 1;
    await renew();
    store.now = 2 * TTL - 2;
    expect((await leaseHolder(store, "dev"))?.holder, "past one TTL, kept by the renewal").to.equal("runner-a");
    store.now = 3 * TTL;
    const taken = await acquireLease(store, "dev", "up", { ttlMs: TTL, holder: "runner-b" });
    await renew();
    expect(lost).to.deep.equal([`the lock memory://test/locks/dev.json was taken over by another run after this run failed to renew it within ${TTL / 1000} s`]);
    expect(stops).to.equal(1);
    await held.release();
    expect((await leaseHolder(store, "dev"))?.holder, "the lost lease's release leaves the new holder's alone").to.equal("runner-b");
    await taken.release();
  });

  it("lets the jobs of one CI workflow run join the lease taken under its id, and only that id release it", async () => {
    const store = new MemoryBlobStore();
    const workflow = await acquireLease(store, "prod", "workflow", { ttlMs: TTL, joinId: "gha-42-1", holder: "deploy #42" });
    // `lock acquire` exits without releasing: the lease stays for the workflow's jobs until `lock release`.
    expect(workflow.joined).to.equal(false);
    const job = await acquireLease(store, "prod", "up", { ttlMs: TTL, joinId: "gha-42-1" });
    expect(job.joined).to.equal(true);
    await job.release();
    expect(await refusal(acquireLease(store, "prod", "up", { ttlMs: TTL, joinId: "gha-43-1" }))).to.match(/deploy #42/);
    expect(await releaseLease(store, "prod", "gha-43-1")).to.equal(false);
    expect(await releaseLease(store, "prod", "gha-42-1")).to.equal(true);
    expect(await leaseHolder(store, "prod")).to.equal(undefined);
  });
});

describe("run history in a shared backend", () => {
  const run = (id: string, env: string, startedAt: string, host: string): RunRecord => ({
    id, env, operation: "up", startedAt, finishedAt: startedAt, durationMs: 1, user: "u", host, status: "succeeded", stacks: [],
  });

  it("keeps one object per run, so writers on many machines never collide, and reads them oldest first", async () => {
    const store = new MemoryBlobStore();
    const history = new BlobHistory(store);
    await history.append(run("b", "dev", "2026-11-02T00:00:00Z", "laptop"));
    await history.append(run("a", "dev", "2026-11-01T00:00:00Z", "ci-runner"));
    await history.append(run("c", "prod", "2026-11-03T00:00:00Z", "ci-runner"));
    expect((await history.read()).map((r) => r.id)).to.deep.equal(["a", "b", "c"]);
    expect((await history.read({ env: "dev" })).map((r) => r.host)).to.deep.equal(["ci-runner", "laptop"]);
    expect(await store.list("history/dev/")).to.deep.equal(["history/dev/a.json", "history/dev/b.json"]);
  });

  it("keeps start lines beside the runs, so a run killed on one machine shows as interrupted on another", async () => {
    const history = new BlobHistory(new MemoryBlobStore());
    const killed = runStart("dev", "up", ["ingress-dev"], new Date("2026-11-01T00:00:00Z"));
    const finished = runStart("dev", "up", ["foundation-dev"], new Date("2026-11-02T00:00:00Z"));
    for (const start of [killed, finished]) await history.append(start);
    await history.append({ ...run(finished.id, "dev", finished.startedAt, "laptop"), stacks: [] });
    expect((await history.starts({ env: "dev" })).map((s) => s.id)).to.deep.equal([killed.id, finished.id]);
    expect((await history.read({ env: "dev" })).map((r) => r.id)).to.deep.equal([finished.id]);
    expect([...interruptedStacks(await history.starts(), await history.read()).keys()]).to.deep.equal(["ingress-dev"]);
  });
});
