import { expect } from "chai";
import { openStores } from "../../orchestrator/backend/stores";
import { LockedError } from "../../orchestrator/lock";
import { startAzurite, type TestBlobBackend } from "../support/azurite";

describe("shared backend stores against Azurite", function () {
  this.timeout(120_000);
  let azurite: TestBlobBackend;
  before(async () => {
    azurite = await startAzurite();
  });
  after(async () => {
    await azurite?.dispose();
  });

  it("creates a lease only once, renews it, refuses others by name, and releases it", async () => {
    const env = { ...process.env, ...azurite.envVars, PLATFORM_LOCK_TTL_SECONDS: "3" };
    const a = openStores({ backendUrl: azurite.url, dataDir: "/nonexistent", env: { ...env, PLATFORM_HOLDER: "machine-a" } });
    const b = openStores({ backendUrl: azurite.url, dataDir: "/nonexistent", env: { ...env, PLATFORM_HOLDER: "machine-b" } });
    const held = await a.locks.acquire("dev", "up");
    await new Promise((resolve) => setTimeout(resolve, 4_500)); // longer than the lease: only renewals keep it
    const refused = await b.locks.acquire("dev", "up").then(() => undefined, (e: unknown) => e);
    expect(refused).to.be.instanceOf(LockedError);
    expect((refused as Error).message).to.match(/locked by machine-a: /);
    expect((await b.locks.holder("dev"))?.holder).to.equal("machine-a");
    await held.release();
    const next = await b.locks.acquire("dev", "up");
    await next.release();
  });
});
