import { randomUUID } from "node:crypto";
import * as os from "node:os";
import { LockedError, type HeldLock, type LockOwner } from "../locks/environment-lock";
import type { BlobStore } from "./blob-store";

/** The lock record kept in the shared backend. */
export interface LeaseRecord extends LockOwner {
  /** Who may renew or join this lease: a run, or a CI workflow run whose jobs share it. */
  readonly id: string;
  readonly ttlMs: number;
}

export interface LeaseOptions {
  /** How long a lease lives without renewal; a live run renews it every third of this. */
  readonly ttlMs: number;
  /** Join a lease taken earlier under this id (a CI workflow's jobs); a joined lease is renewed, never released. */
  readonly joinId?: string;
  readonly holder?: string;
  /** Called when a renewal finds that someone else took the lease (this run stalled past its expiry). */
  readonly onLost?: (message: string) => void;
  /** When renewals run; a timer by default, a test's own to renew at known points. */
  readonly schedule?: RenewalSchedule;
}

/** Calls `renew` every `everyMs` until the returned stop is called. */
export type RenewalSchedule = (renew: () => Promise<void>, everyMs: number) => () => void;

const renewOnTimer: RenewalSchedule = (renew, everyMs) => {
  const timer = setInterval(() => void renew(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

export interface HeldLease extends HeldLock {
  readonly record: LeaseRecord;
  readonly joined: boolean;
  /** How long ago the taken-over lease expired, in ms (with `recovered`). */
  readonly expiredForMs?: number;
}

export const lockKey = (env: string) => `locks/${env}.json`;

/**
 * One run per environment across machines: a lock record created only if absent (a conditional
 * create), kept alive by renewals that succeed only if nobody replaced it (ETag match). A holder
 * that stops renewing (killed, machine gone) is taken over once its lease has expired by the
 * store's clock.
 */
export async function acquireLease(store: BlobStore, env: string, operation: string, options: LeaseOptions): Promise<HeldLease> {
  const key = lockKey(env);
  const where = `${store.where}/${key}`;
  const record: LeaseRecord = {
    id: options.joinId ?? randomUUID(),
    pid: process.pid,
    host: os.hostname(),
    user: os.userInfo().username,
    operation,
    startedAt: new Date().toISOString(),
    ttlMs: options.ttlMs,
    ...(options.holder ? { holder: options.holder } : {}),
  };
  const body = JSON.stringify(record);
  for (let attempt = 0; attempt < 3; attempt++) {
    const created = await store.create(key, body);
    if (created) return held(store, key, record, created, options, false);
    const current = await store.read(key);
    if (!current) continue;
    const owner = parseLease(current.body);
    if (owner && options.joinId && owner.id === options.joinId) {
      const renewed = await store.replace(key, current.body, current.etag);
      if (renewed) return held(store, key, owner, renewed, options, true);
      continue;
    }
    const ttl = owner?.ttlMs ?? options.ttlMs;
    if (owner && current.ageMs <= ttl) {
      throw new LockedError(env, owner, where, `wait for that run; if it died, its lease expires ${Math.ceil((ttl - current.ageMs) / 1000)} s from now and the next run takes over`);
    }
    const taken = await store.replace(key, body, current.etag);
    if (taken) {
      const recovered = owner ?? { pid: 0, host: "unknown", user: "unknown", operation: "unknown", startedAt: "unknown" };
      return { ...held(store, key, record, taken, options, false), recovered, expiredForMs: current.ageMs - ttl };
    }
  }
  throw new Error(`could not take the lock ${where}: other runs took it at the same moment; retry`);
}

function held(store: BlobStore, key: string, record: LeaseRecord, etag: string, options: LeaseOptions, joined: boolean): HeldLease {
  let current = etag;
  let stopped = false;
  const body = JSON.stringify(record);
  // Renewals run one after another, and release waits for the last, so a delete never races a renewal's new ETag.
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    if (stopped) return;
    const next = await store.replace(key, body, current).catch(() => current); // a failed call is retried next tick; the lease lasts until it expires
    if (next) current = next;
    else {
      stopped = true;
      stopRenewals();
      options.onLost?.(`the lock ${store.where}/${key} was taken over by another run after this run failed to renew it within ${options.ttlMs / 1000} s`);
    }
  };
  const stopRenewals = (options.schedule ?? renewOnTimer)(() => (renewing = renewing.then(renew)), Math.max(250, Math.floor(options.ttlMs / 3)));
  return {
    file: `${store.where}/${key}`,
    record,
    joined,
    release: async () => {
      stopRenewals();
      await renewing;
      if (stopped) return;
      stopped = true;
      if (!joined) await store.remove(key, current);
    },
  };
}

/** The holder of an environment's lease, when one is held and not expired. */
export async function leaseHolder(store: BlobStore, env: string): Promise<LeaseRecord | undefined> {
  const current = await store.read(lockKey(env));
  const owner = current && parseLease(current.body);
  return owner && current.ageMs <= owner.ttlMs ? owner : undefined;
}

/** Ends a lease taken under `id` (a CI workflow's final job); false when another run holds it. */
export async function releaseLease(store: BlobStore, env: string, id: string): Promise<boolean> {
  const current = await store.read(lockKey(env));
  if (!current) return true;
  if (parseLease(current.body)?.id !== id) return false;
  return store.remove(lockKey(env), current.etag);
}

function parseLease(body: string): LeaseRecord | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<LeaseRecord>;
    return typeof parsed.id === "string" && typeof parsed.ttlMs === "number" ? (parsed as LeaseRecord) : undefined;
  } catch {
    return undefined;
  }
}
