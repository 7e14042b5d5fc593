import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { LockOwner } from "../locks/environment-lock";
import type { AutomationWorkspace } from "./automation-workspace";

/** What a file:// backend keeps of its own in its folder; other backends give none of it. */
export class FileBackend {
  constructor(private readonly shared: AutomationWorkspace) {}

  /** The stack's deployment as `stack export` writes it, read from its checkpoint (plain or gzipped); undefined elsewhere. */
  async checkpoint(stackName: string): Promise<unknown> {
    const records = await this.records();
    if (!records) return undefined;
    const base = path.join(records.dir, "stacks", records.project, `${stackName}.json`);
    const file = [base, `${base}.gz`].find((candidate) => fs.existsSync(candidate));
    if (!file) return undefined;
    const raw = fs.readFileSync(file);
    const checkpoint = JSON.parse((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as { version: number; checkpoint?: { latest?: unknown } };
    return { version: checkpoint.version, deployment: checkpoint.checkpoint?.latest ?? {} };
  }

  /** A file:// backend keeps stack locks as files, one per holder; other backends manage their own. */
  async stackLocks(stackName: string): Promise<{ file: string; owner?: LockOwner }[]> {
    const records = await this.records();
    if (!records) return [];
    const dir = path.join(records.dir, "locks", "organization", records.project, stackName);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).map((name) => {
      const file = path.join(dir, name);
      return { file, owner: readPulumiLock(file) };
    });
  }

  /** A file:// backend's folder of Pulumi's own records (`.pulumi`), for the project's stacks; undefined for other backends. */
  private async records(): Promise<{ dir: string; project: string } | undefined> {
    const url = this.shared.options.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? "";
    if (!url.startsWith("file://")) return undefined;
    return { dir: path.join(url.slice("file://".length), ".pulumi"), project: (await (await this.shared.workspace()).projectSettings()).name };
  }
}

/** The engine's own lock record (pid, username, hostname, timestamp); undefined when unreadable. */
function readPulumiLock(file: string): LockOwner | undefined {
  try {
    const held = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: unknown; hostname?: unknown; username?: unknown; timestamp?: unknown };
    if (typeof held.pid !== "number" || typeof held.hostname !== "string") return undefined;
    return { pid: held.pid, host: held.hostname, user: String(held.username ?? "unknown"), operation: "pulumi", startedAt: String(held.timestamp ?? "unknown") };
  } catch {
    return undefined;
  }
}
