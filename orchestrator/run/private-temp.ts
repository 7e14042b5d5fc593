import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pidAlive } from "../locks/environment-lock";

const PREFIX = "platform-run-";

export interface PrivateTemp {
  readonly dir: string;
  /** Removes the directory and everything the engine left in it; safe to call twice. */
  remove(): void;
}

/**
 * Points TMPDIR, for this process and every engine process it starts, at a fresh 0700 directory.
 * The engine and its Kubernetes provider write kubeconfigs holding the cluster's token into the
 * temp directory and never remove them; a private directory removed at exit takes them along.
 * Directories left by runs that were killed (their pid is gone) are removed first.
 */
export function usePrivateTempDir(parent: string = os.tmpdir()): PrivateTemp {
  sweepAbandoned(parent);
  const dir = fs.mkdtempSync(path.join(parent, `${PREFIX}${process.pid}-`));
  fs.chmodSync(dir, 0o700);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", remove);
  return { dir, remove };
}

/**
 * Removes `platform-run-<pid>-*` directories whose process no longer runs, first ending any engine
 * process still working for that dead run (they carry its TMPDIR). Returns what it removed.
 */
export function sweepAbandoned(parent: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return removed;
  }
  for (const name of names) {
    const match = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    if (!match || pidAlive(Number(match[1]))) continue;
    endProcessesOf(path.join(parent, name));
    fs.rmSync(path.join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** Kills the processes whose TMPDIR is `dir`: plugins and engines a killed run left behind. Linux only. */
export function endProcessesOf(dir: string): number[] {
  const marker = `TMPDIR=${dir}`;
  const ended: number[] = [];
  let pids: string[];
  try {
    pids = fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  } catch {
    return ended;
  }
  for (const pid of pids) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").includes(marker)) continue;
      process.kill(Number(pid), "SIGKILL");
      ended.push(Number(pid));
    } catch {
      continue;
    }
  }
  return ended;
}
