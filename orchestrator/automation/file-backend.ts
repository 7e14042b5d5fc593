import * as fs from "node:fs";
import * as path from "node:path";
import type { StackSummary } from "@pulumi/pulumi/automation";
import type { LockOwner } from "../locks/environment-lock";
import type { UnreadableState } from "../model/unreadable-state";
import type { AutomationOptions } from "./automation-options";
import { importableDeployment, parseCheckpointFile, stateFileOf, stateFileSummaries, unreadableStateFiles, type StateFolder } from "./state-files";

/** What the file backend needs of the run's workspace: its options. */
export interface BackendWorkspace {
  readonly options: AutomationOptions;
}

/** What a file:// backend keeps of its own in its folder; other backends give none of it. */
export class FileBackend {
  constructor(private readonly shared: BackendWorkspace) {}

  /** The stack's deployment as `stack export` writes it, read from its checkpoint (plain or gzipped); undefined elsewhere. */
  async checkpoint(stackName: string): Promise<unknown> {
    const records = await this.records();
    if (!records) return undefined;
    const file = stateFileOf(records, stackName);
    return file ? importableDeployment(file) : undefined;
  }

  /**
   * The stacks among `stackNames` whose state file does not parse. The newest good copy of each is
   * written to `recoveryDir` (0600) as `pulumi stack import` takes it, with the command that imports it.
   */
  async unreadableStates(stackNames: readonly string[], recoveryDir: string): Promise<UnreadableState[]> {
    const records = await this.records();
    if (!records) return [];
    return unreadableStateFiles(records, stackNames).map((found) => {
      const newest = found.goodCopies[0];
      if (!newest) return found;
      fs.mkdirSync(recoveryDir, { recursive: true, mode: 0o700 });
      const file = path.join(recoveryDir, `${found.stack}.${newest.savedAt.replace(/[:.]/g, "-")}.json`);
      fs.writeFileSync(file, `${JSON.stringify(importableDeployment(newest.file), null, 2)}\n`, { mode: 0o600 });
      const command = `cd ${this.shared.options.workDir} && PULUMI_BACKEND_URL=${records.url} pulumi stack import --stack ${found.stack} --file ${file}`;
      return { ...found, restore: { file, command } };
    });
  }

  /** Every stack's summary read from the files, when one of them does not parse (so `pulumi stack ls` fails); undefined otherwise. */
  async summariesPastUnreadable(): Promise<StackSummary[] | undefined> {
    const records = await this.records();
    if (!records) return undefined;
    const summaries = stateFileSummaries(records);
    return summaries.some((summary) => !parseCheckpointFile(stateFileOf(records, summary.name)!).ok) ? summaries : undefined;
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
  private async records(): Promise<(StateFolder & { url: string }) | undefined> {
    const url = this.shared.options.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? "";
    if (!url.startsWith("file://")) return undefined;
    return { url, dir: path.join(url.slice("file://".length), ".pulumi"), project: projectName(this.shared.options.programDir ?? this.shared.options.workDir) };
  }
}

/** The project's name from its Pulumi.yaml, read without the Automation API, which `status` never loads. */
function projectName(dir: string): string {
  const file = path.join(dir, "Pulumi.yaml");
  const name = /^name:\s*["']?([^"'\s#]+)/m.exec(fs.readFileSync(file, "utf8"))?.[1];
  if (!name) throw new Error(`${file}: no top-level name; a Pulumi project file names its project (name: <project>)`);
  return name;
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
