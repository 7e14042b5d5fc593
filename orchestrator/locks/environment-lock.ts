import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PreflightError } from "../model/preflight-error";

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly user: string;
  readonly operation: string;
  readonly startedAt: string;
  /** A name for the run chosen by whoever started it (PLATFORM_HOLDER), such as a CI job. */
  readonly holder?: string;
}

/** Another run holds the environment. */
export class LockedError extends Error {
  override readonly name = "LockedError";
  constructor(
    readonly env: string,
    readonly owner: LockOwner,
    readonly file: string,
    hint = `wait for that run, or if it is gone from another machine, delete ${file}`,
  ) {
    super(`environment ${env} is locked by ${owner.holder ? `${owner.holder}: ` : ""}${owner.user}@${owner.host} (pid ${owner.pid}, ${owner.operation} since ${owner.startedAt}); ${hint}`);
  }
}

export interface HeldLock {
  readonly file: string;
  /** Set when a stale lock from a dead run was taken over. */
  readonly recovered?: LockOwner;
  release(): void | Promise<void>;
}

/** The operation of a lock held across the jobs of a CI workflow run (`lock acquire`), not by one process. */
export const WORKFLOW_OPERATION = "workflow";

/**
 * A lock meant to outlive its process cannot be a file lock, which is judged by its process:
 * `lock acquire` would exit at once and the next run take the lock over. Bad input (exit 3).
 */
export function workflowLockRefusal(lockDir: string): PreflightError {
  return new PreflightError(
    `a lock held across CI jobs needs a shared backend: with file:// the lock is a file in ${lockDir}, judged by the process that wrote it, and \`lock acquire\` ends at once, so the next run would take it over; ` +
      `set PULUMI_BACKEND_URL (or --backend) to an azblob:// or s3:// URL (with Pulumi Cloud, PLATFORM_SHARED_STORE), or run the workflow's jobs without \`lock\`: each run takes its own lock`,
  );
}

/** Whether a lock's owner is still running; only decidable for owners on this host. */
export type OwnerCheck = (owner: LockOwner) => boolean;

export const ownerAlive: OwnerCheck = (owner) => owner.host !== os.hostname() || pidAlive(owner.pid);

/** An environment's lock holder as read, and whether it still holds: its process lives (or cannot be checked), or its lease runs. */
export interface LockHolder extends LockOwner {
  readonly alive: boolean;
}

/**
 * Whether a file lock still holds: a run's lock while its process lives (or cannot be checked);
 * a workflow's lock (`lock acquire`) always, since its process ended when the command did. Pure
 * but for `alive`.
 */
export function fileLockHolds(owner: LockOwner, alive: OwnerCheck = ownerAlive): boolean {
  return owner.operation === WORKFLOW_OPERATION || alive(owner);
}

/** The holder of a file lock, and whether it still holds (fileLockHolds). */
export function readLockHolder(dir: string, env: string, alive: OwnerCheck = ownerAlive): LockHolder | undefined {
  const owner = readOwner(path.join(dir, `${env}.lock`));
  return owner && { ...owner, alive: fileLockHolds(owner, alive) };
}

/** Whether a process of this host runs under that pid (one of another user counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One run per environment: a lock file created exclusively. A lock whose process is gone (same
 * host, pid dead, or unreadable) is stale and taken over, and the caller says so.
 */
export function acquireLock(dir: string, env: string, operation: string, alive: OwnerCheck = ownerAlive): HeldLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${env}.lock`);
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), user: os.userInfo().username, operation, startedAt: new Date().toISOString() };
  let recovered: LockOwner | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(owner), { flag: "wx", mode: 0o600 });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.removeListener("exit", release);
        fs.rmSync(file, { force: true });
      };
      // A run that must quit at once (a second Ctrl-C, the stop bound) leaves no lock behind.
      process.once("exit", release);
      return { file, recovered, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const current = readOwner(file);
      if (current && fileLockHolds(current, alive)) {
        throw current.operation === WORKFLOW_OPERATION
          ? new LockedError(env, current, file, `a lock taken by \`lock acquire\` is not judged by its process: if that workflow run is over, delete ${file}`)
          : new LockedError(env, current, file);
      }
      recovered = current ?? { pid: 0, host: "unknown", user: "unknown", operation: "unknown", startedAt: "unknown" };
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}: another run took it at the same moment; retry`);
}

function readOwner(file: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as LockOwner;
  } catch {
    return undefined;
  }
}

/** What to tell a person when a run took over a lock its holder left behind. */
export function recoveryNote(lock: Partial<HeldLock> & { readonly expiredForMs?: number }): string | undefined {
  const owner = lock.recovered;
  if (!owner) return undefined;
  const who = `${owner.holder ? `${owner.holder}: ` : ""}${owner.user}@${owner.host} (pid ${owner.pid}, ${owner.operation} since ${owner.startedAt})`;
  return lock.expiredForMs !== undefined
    ? `took over the run lock of ${who}: its lease expired ${Math.round(lock.expiredForMs / 1000)} s ago without renewal, so that run is gone`
    : `recovered a stale run lock left by ${who}`;
}
