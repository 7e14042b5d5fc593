import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import pLimit from "p-limit";
import { LocalWorkspace, PulumiCommand, Stack, type ConfigMap, type EngineEvent, type OutputMap, type StackSummary } from "@pulumi/pulumi/automation";
import type { ChangeCounts, ResourceChange } from "../model/changes";
import type { Operation, StackId, StateMarker } from "../model/stack";
import type { OperationResult, RunOptions, StackConfig, StackEngine, StackOutputs, DiffKind } from "../engine/stack-engine";
import type { BackendRecords } from "../engine/backend-records";
import type { StackConfigFiles } from "../engine/stack-config-files";
import { PolicyViolationError } from "../engine/errors";
import { execFile } from "node:child_process";
import { classifyEngineError, engineErrorLead } from "./engine-errors";
import { policyPackConfigs } from "./policy-config";
import { resourceChanges, type PreviewStep } from "./preview-steps";
import { clearPendingOperations, type Deployment } from "./pending-operations";
import { ownerAlive, type LockOwner } from "../locks/environment-lock";
import { watchdogEnv, watchedPulumiRoot } from "./watchdog";

export interface AutomationEngineOptions {
  /** Directory holding Pulumi.yaml: the repository root, so the engine runs the same program `pulumi preview` does. */
  readonly workDir: string;
  /** Defaults to PULUMI_BACKEND_URL. */
  readonly backendUrl?: string;
  /** `passphrase` (default) or a KMS URL such as `awskms://alias/platform`. */
  readonly secretsProvider?: string;
  /** Extra environment for every engine command. */
  readonly envVars?: Readonly<Record<string, string>>;
}

/** The Automation API behind the StackEngine seam: one local program, many `<layer>-<env>` stacks. */
export class AutomationEngine implements StackEngine, StackConfigFiles, BackendRecords {
  // `pulumi stack select` rewrites one shared workspace file, so selections run one at a time;
  // every later command names its stack explicitly and may run in parallel.
  private readonly selection = pLimit(1);
  private readonly stacks = new Map<string, Promise<Stack>>();

  constructor(private readonly options: AutomationEngineOptions) {}

  async prepare(stack: StackId, config: StackConfig): Promise<void> {
    const selected = await this.stack(stack, { create: true });
    const wanted: ConfigMap = {};
    for (const [key, entry] of Object.entries(config)) wanted[key] = { value: entry.value, secret: entry.secret };
    if (Object.keys(wanted).length > 0) await selected.setAllConfig(wanted);
  }

  async run(operation: Operation, stack: StackId, options: RunOptions = {}): Promise<OperationResult> {
    const selected = await this.stack(stack, { create: operation === "up" || operation === "preview" });
    let resourcesDone = 0;
    const violations: string[] = [];
    const errors = firstErrorCollector();
    const onEvent = (event: EngineEvent) => {
      errors.see(event);
      const policy = event.policyEvent;
      if (policy?.enforcementLevel === "mandatory") {
        violations.push(`${policy.policyName}: ${policy.message.trim().split("\n").pop()} (${policy.resourceUrn?.split("::").pop() ?? "stack"})`);
      }
      if (event.resOutputsEvent || event.resOpFailedEvent) {
        resourcesDone += 1;
        options.onProgress?.({ stack, resourcesDone, message: event.resOutputsEvent?.metadata.urn.split("::").pop() });
      }
    };
    const common = { onEvent, signal: options.signal, color: "never" as const };
    try {
      switch (operation) {
        case "up": {
          const result = await selected.up({ ...common, refresh: options.refresh, ...policies(options.policyPacks, stack.env) });
          return { changes: counts(result.summary.resourceChanges), outputs: toOutputs(result.outputs) };
        }
        case "preview": {
          const result = await selected.preview({ ...common, refresh: options.refresh, ...policies(options.policyPacks, stack.env) });
          return { changes: counts(result.changeSummary) };
        }
        case "refresh": {
          const result = await selected.refresh(common);
          return { changes: counts(result.summary.resourceChanges) };
        }
        case "destroy": {
          const result = await selected.destroy({ ...common, refresh: options.refresh });
          return { changes: counts(result.summary.resourceChanges) };
        }
      }
    } catch (error) {
      if (violations.length > 0) throw new PolicyViolationError(violations);
      throw classifyEngineError(error, errors.lead());
    }
  }

  /** A refresh preview or a program preview; each previewed step carries its detailed diff, secrets masked. */
  async diff(kind: DiffKind, stack: StackId, options: { signal?: AbortSignal } = {}): Promise<ResourceChange[]> {
    const selected = await this.stack(stack, { create: false });
    const steps: PreviewStep[] = [];
    const errors = firstErrorCollector();
    // A refresh's finding arrives with the step's outputs (the pre-event only announces "refresh");
    // a preview's diff arrives with the step itself.
    const onEvent = (event: EngineEvent) => {
      errors.see(event);
      const step = kind === "refresh" ? event.resOutputsEvent : event.resourcePreEvent;
      if (step) steps.push(step.metadata);
    };
    const common = { onEvent, signal: options.signal, color: "never" as const };
    try {
      await (kind === "refresh" ? selected.previewRefresh(common) : selected.preview(common));
    } catch (error) {
      throw classifyEngineError(error, errors.lead());
    }
    return resourceChanges(steps);
  }

  /** Runs the pulumi CLI itself, for what the Automation API does not offer as we need it. */
  private cli(args: readonly string[], what: string, signal?: AbortSignal): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      execFile(
        path.join(watchedPulumiRoot(), "bin", "pulumi"),
        [...args, "--cwd", this.options.workDir],
        {
          env: { ...process.env, ...this.engineEnv() },
          maxBuffer: 256 * 1024 * 1024,
          signal,
        },
        (error, out, err) => (error ? reject(classifyEngineError(new Error(`${what} failed: ${err || error.message}`))) : resolve(out)),
      );
    });
  }

  async configValue(stack: StackId, key: string): Promise<string | undefined> {
    if (!fs.existsSync(this.configFile(stack))) return undefined;
    const value = (await (await this.workspace()).stackSettings(stack.name)).config?.[`platform:${key}`];
    if (value === undefined) return undefined;
    if (typeof value === "object" && value !== null && "secure" in value) throw new Error(`config ${key} of ${stack.name} is a secret; it is never read in plain text`);
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  async saveConfig(stack: StackId): Promise<string | null> {
    const file = this.configFile(stack);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  }

  async restoreConfig(stack: StackId, saved: string | null): Promise<void> {
    const file = this.configFile(stack);
    if (saved === null) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, saved);
  }

  private configFile(stack: StackId): string {
    return path.join(this.options.workDir, `Pulumi.${stack.name}.yaml`);
  }

  async configKeys(stack: StackId): Promise<string[]> {
    // The stack settings file holds the keys in plain text (secret values as ciphertext); reading it needs no CLI call.
    if (!fs.existsSync(this.configFile(stack))) return [];
    const settings = await (await this.workspace()).stackSettings(stack.name);
    return Object.keys(settings.config ?? {}).map((key) => key.slice(key.indexOf(":") + 1));
  }

  async outputs(stack: StackId): Promise<StackOutputs> {
    return toOutputs(await (await this.stack(stack, { create: false })).outputs());
  }

  async exists(stack: StackId): Promise<boolean> {
    return (await this.knownStacks()).has(stack.name);
  }

  async stateMarkers(options: { fresh?: boolean } = {}): Promise<ReadonlyMap<string, StateMarker>> {
    if (options.fresh) this.listing = undefined;
    const markers = new Map<string, StateMarker>();
    for (const [name, summary] of await this.knownStacks()) {
      if (summary.lastUpdate !== undefined) markers.set(name, { lastUpdate: summary.lastUpdate, resourceCount: summary.resourceCount ?? 0 });
    }
    return markers;
  }

  async stackLocked(stack: StackId): Promise<boolean> {
    return (await this.stackLocks(stack.name)).length > 0;
  }

  // One listing per engine: a run holds its environment's lock, so only this engine adds or removes its stacks.
  private listing?: Promise<Map<string, StackSummary>>;
  private knownStacks(): Promise<Map<string, StackSummary>> {
    this.listing ??= this.workspace()
      .then((workspace) => workspace.listStacks())
      .then((summaries) => new Map(summaries.map((summary) => [summary.name.split("/").pop()!, summary])));
    this.listing.catch(() => (this.listing = undefined));
    return this.listing;
  }

  async recover(stack: StackId): Promise<string | undefined> {
    if (!(await this.exists(stack))) return undefined;
    const notes: string[] = [];
    const selected = await this.stack(stack, { create: false });
    let heldByLiveRun = false;
    for (const lock of await this.stackLocks(stack.name)) {
      const who = lock.owner ? `${lock.owner.user}@${lock.owner.host} (pid ${lock.owner.pid}, since ${lock.owner.startedAt})` : "an unreadable lock file";
      if (lock.owner && ownerAlive(lock.owner)) {
        heldByLiveRun = true;
        notes.push(`${stack.name} is locked by ${who}, a pulumi run that may still be going; left alone (delete ${lock.file} if that run is gone)`);
      } else {
        fs.rmSync(lock.file, { force: true });
        notes.push(`cleared a stale lock on ${stack.name} left by an interrupted run, ${who}`);
      }
    }
    // Pending operations under a live run's lock are that run's business.
    if (heldByLiveRun) return notes.join("; ");
    const state = (await this.exportState(stack)) as Deployment;
    const cleared = clearPendingOperations(state);
    if (cleared.removed.length > 0) {
      await selected.importStack(cleared.deployment as Parameters<Stack["importStack"]>[0]);
      notes.push(`cleared ${cleared.removed.length} pending operation(s) on ${stack.name} (${cleared.removed.join(", ")}); the next up reconciles them`);
    }
    return notes.length > 0 ? notes.join("; ") : undefined;
  }

  async exportState(stack: StackId): Promise<unknown> {
    // Not Stack.exportStack(): it passes --show-secrets, and this export is written to disk.
    await this.stack(stack, { create: false });
    return JSON.parse(await this.cli(["stack", "export", "--stack", stack.name], `export of ${stack.name}`));
  }

  async readState(stack: StackId): Promise<unknown> {
    const file = await this.checkpointFile(stack.name);
    if (!file) return this.exportState(stack);
    const raw = fs.readFileSync(file);
    const checkpoint = JSON.parse((file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as { version: number; checkpoint?: { latest?: unknown } };
    return { version: checkpoint.version, deployment: checkpoint.checkpoint?.latest ?? {} };
  }

  async removeStack(stack: StackId): Promise<void> {
    const workspace = await this.workspace();
    await this.selection(() => workspace.removeStack(stack.name));
    this.stacks.delete(stack.name);
    (await this.knownStacks()).delete(stack.name);
  }

  private engineEnv(): Record<string, string> {
    return { ...watchdogEnv(), ...(this.options.backendUrl ? { PULUMI_BACKEND_URL: this.options.backendUrl } : {}), ...this.options.envVars };
  }

  private workspacePromise?: Promise<LocalWorkspace>;
  private workspace(): Promise<LocalWorkspace> {
    this.workspacePromise ??= (async () => {
      const workspace = await LocalWorkspace.create({
        workDir: this.options.workDir,
        secretsProvider: this.options.secretsProvider,
        // Every engine command goes through the watchdog, so none outlives a killed orchestrator.
        pulumiCommand: await PulumiCommand.get({ root: watchedPulumiRoot(), skipVersionCheck: true }),
        envVars: this.engineEnv(),
      });
      // Every later command names its stack (--stack), so `stack select` only checks that it exists:
      // the run's one listing already says so, and each skipped select saves a serialized CLI start.
      const select = workspace.selectStack.bind(workspace);
      workspace.selectStack = async (name: string) => ((await this.knownStacks()).has(name) ? undefined : select(name));
      return workspace;
    })();
    return this.workspacePromise;
  }

  private stack(stack: StackId, { create }: { create: boolean }): Promise<Stack> {
    const known = this.stacks.get(stack.name);
    if (known) return known;
    const made = this.selection(async () => {
      const workspace = await this.workspace();
      if (!create) return Stack.select(stack.name, workspace);
      const created = await Stack.createOrSelect(stack.name, workspace);
      const known = await this.knownStacks();
      if (!known.has(stack.name)) known.set(stack.name, { name: stack.name, current: false, updateInProgress: false });
      return created;
    });
    this.stacks.set(stack.name, made);
    made.catch(() => this.stacks.delete(stack.name));
    return made;
  }

  /** A file:// backend's folder of Pulumi's own records (`.pulumi`), for the project's stacks; undefined for other backends. */
  private async backendRecords(): Promise<{ dir: string; project: string } | undefined> {
    const url = this.options.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? "";
    if (!url.startsWith("file://")) return undefined;
    return { dir: path.join(url.slice("file://".length), ".pulumi"), project: (await (await this.workspace()).projectSettings()).name };
  }

  /** The stack's checkpoint in a file:// backend (plain or gzipped); undefined elsewhere. */
  private async checkpointFile(stackName: string): Promise<string | undefined> {
    const records = await this.backendRecords();
    if (!records) return undefined;
    const base = path.join(records.dir, "stacks", records.project, `${stackName}.json`);
    return [base, `${base}.gz`].find((file) => fs.existsSync(file));
  }

  /** A file:// backend keeps stack locks as files, one per holder; other backends manage their own. */
  private async stackLocks(stackName: string): Promise<{ file: string; owner?: LockOwner }[]> {
    const records = await this.backendRecords();
    if (!records) return [];
    const dir = path.join(records.dir, "locks", "organization", records.project, stackName);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).map((name) => {
      const file = path.join(dir, name);
      return { file, owner: readPulumiLock(file) };
    });
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

/** Keeps the engine's first error event, preferring one about a resource, and that resource's failed operation. */
function firstErrorCollector(): { see(event: EngineEvent): void; lead(): string | undefined } {
  const failedOps = new Map<string, string>();
  let first: { urn?: string; message: string } | undefined;
  return {
    see(event) {
      if (event.resOpFailedEvent) failedOps.set(event.resOpFailedEvent.metadata.urn, event.resOpFailedEvent.metadata.op);
      const diagnostic = event.diagnosticEvent;
      if (diagnostic?.severity === "error" && (!first || (!first.urn && diagnostic.urn))) first = { urn: diagnostic.urn, message: diagnostic.message };
    },
    lead: () => first && engineErrorLead(first.urn, first.urn ? failedOps.get(first.urn) : undefined, first.message),
  };
}

function policies(packs: readonly string[] = [], env: string): { policyPacks: string[]; policyPackConfigs?: string[] } {
  const configs = policyPackConfigs(packs, env);
  return { policyPacks: [...packs], ...(configs ? { policyPackConfigs: configs } : {}) };
}

function counts(changes: Readonly<Record<string, number>> | undefined): ChangeCounts {
  return { ...(changes ?? {}) };
}

function toOutputs(map: OutputMap): StackOutputs {
  const outputs: Record<string, { value: unknown; secret: boolean }> = {};
  for (const [key, output] of Object.entries(map)) outputs[key] = { value: output.value, secret: output.secret };
  return outputs;
}
