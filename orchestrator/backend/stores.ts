import * as path from "node:path";
import { fileHolds } from "../history/holds";
import { fileJournals, type ProgressJournals } from "../history/progress-journal";
import { fileHistory, HistoryStore, type RunHistory } from "../history/store";
import type { EnvironmentHolds } from "../model/hold";
import { acquireLock, readLockHolder, WORKFLOW_OPERATION, workflowLockRefusal, type HeldLock, type LockHolder } from "../locks/environment-lock";
import { PreflightError } from "../model/preflight-error";
import type { BlobStore } from "./blob-store";
import { BlobHistory } from "./blob-history";
import { blobHolds } from "./blob-holds";
import { blobJournals } from "./blob-progress";
import { acquireLease, leaseHolder, releaseLease } from "./lease-lock";

export interface EnvironmentLocks {
  readonly where: string;
  /** Takes the environment for one run, or throws LockedError naming the holder. */
  acquire(env: string, operation: string): Promise<HeldLock>;
  /** Who holds the environment, and whether that run still lives (a lease: until it expires). */
  holder(env: string): Promise<LockHolder | undefined>;
  /** Takes (or joins) a lease for a whole CI workflow run under `id` (`lock acquire --id`); refused with file://. */
  acquireShared(env: string, id: string): Promise<HeldLock>;
  /** Ends a lease taken for a whole CI workflow run (`lock acquire --id`); false when another run holds it. */
  releaseShared(env: string, id: string): Promise<boolean>;
}

/** What a checkout shares with every other machine running the same environments. */
export interface SharedStores {
  readonly history: RunHistory;
  /** Each run's progress events as they happen, beside the history. */
  readonly progress: ProgressJournals;
  readonly locks: EnvironmentLocks;
  /** Environments held after a rollback, beside the history. */
  readonly holds: EnvironmentHolds;
  /** Where promotion checkpoints are copied; undefined for a file:// backend (they stay in .platform). */
  readonly blobs?: BlobStore;
}

export interface StoreSettings {
  /** The state backend; its blob container (or bucket) also holds locks, history and checkpoints under `.platform/`. */
  readonly backendUrl?: string;
  /** This checkout's `.platform`, for a file:// backend. */
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Locks and history live where state lives: with a shared blob backend in that container, so runs
 * from CI runners and laptops see one lock and one history; with a file:// backend in this
 * checkout's `.platform`, as before. PLATFORM_SHARED_STORE names a blob URL for them when the
 * state is elsewhere (Pulumi Cloud).
 */
export function openStores(settings: StoreSettings): SharedStores {
  const env = settings.env ?? process.env;
  const url = env.PLATFORM_SHARED_STORE ?? settings.backendUrl ?? env.PULUMI_BACKEND_URL ?? "file://";
  const scheme = url.slice(0, url.indexOf("://") + 3);
  if (scheme === "file://") return localStores(settings.dataDir);
  let blobs: BlobStore;
  // The cloud SDKs load only for their scheme: a file:// run never pays for them.
  if (scheme === "azblob://") {
    const { AzureBlobStore, azureLocation } = require("./azure-blob-store") as typeof import("./azure-blob-store");
    blobs = new AzureBlobStore(azureLocation(url, env), ".platform", env);
  } else if (scheme === "s3://") {
    const { S3Store, s3Location } = require("./s3-store") as typeof import("./s3-store");
    blobs = new S3Store(s3Location(url, env), ".platform");
  } else {
    throw new PreflightError(
      `backend ${url.replace(/\?.*/, "")}: the environment lock and run history need a blob store; set PLATFORM_SHARED_STORE to an azblob:// or s3:// URL (with Pulumi Cloud, a bucket beside it)`,
    );
  }
  return { history: new BlobHistory(blobs), progress: blobJournals(blobs), locks: leaseLocks(blobs, env), holds: blobHolds(blobs), blobs };
}

function leaseLocks(store: BlobStore, env: NodeJS.ProcessEnv): EnvironmentLocks {
  const ttlMs = Number(env.PLATFORM_LOCK_TTL_SECONDS ?? 120) * 1000;
  if (!Number.isFinite(ttlMs) || ttlMs < 1000) throw new PreflightError(`PLATFORM_LOCK_TTL_SECONDS=${env.PLATFORM_LOCK_TTL_SECONDS}: expected a number of seconds, at least 1`);
  const options = (joinId: string | undefined) => ({
    ttlMs,
    ...(joinId ? { joinId } : {}),
    ...(env.PLATFORM_HOLDER ? { holder: env.PLATFORM_HOLDER } : {}),
    onLost: (message: string) => process.stderr.write(`warning: ${message}\n`),
  });
  return {
    where: `${store.where}/locks`,
    acquire: (name, operation) => acquireLease(store, name, operation, options(env.PLATFORM_LOCK_ID)),
    acquireShared: (name, id) => acquireLease(store, name, WORKFLOW_OPERATION, options(id)),
    holder: async (name) => {
      const owner = await leaseHolder(store, name);
      return owner && { ...owner, alive: true };
    },
    releaseShared: (name, id) => releaseLease(store, name, id),
  };
}

function localStores(dataDir: string): SharedStores {
  const lockDir = path.join(dataDir, "locks");
  return {
    history: fileHistory(new HistoryStore(path.join(dataDir, "history", "runs.jsonl"))),
    holds: fileHolds(path.join(dataDir, "history")),
    progress: fileJournals(path.join(dataDir, "history", "progress")),
    locks: {
      where: lockDir,
      acquire: async (name, operation) => acquireLock(lockDir, name, operation),
      holder: async (name) => readLockHolder(lockDir, name),
      acquireShared: async () => {
        throw workflowLockRefusal(lockDir);
      },
      releaseShared: async () => {
        throw workflowLockRefusal(lockDir);
      },
    },
  };
}
