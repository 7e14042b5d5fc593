import { TransientEngineError } from "../../orchestrator/engine/errors";
import { type DiffKind, type OperationResult, type RunOptions, type StackConfig, type StackEngine, type StackOutputs } from "../../orchestrator/engine/stack-engine";
import { type ResourceChange } from "../../orchestrator/model/changes";
import { type Operation, type StackId, type StateMarker } from "../../orchestrator/model/stack";

export interface FakeBehaviour {
  /** Milliseconds the operation takes. */
  readonly delayMs?: number;
  /** Fail with this message. */
  readonly fail?: string;
  /** Fail this many times with a transient error first. */
  readonly transientFailures?: number;
  /** What an up leaves as the stack's outputs, instead of the usual endpoint and token. */
  readonly outputs?: StackOutputs;
  /** What recover() reports once. */
  readonly recoverNote?: string;
}

/** An in-memory engine: stacks, config and outputs in maps, with scripted delays and failures. Stands in for Pulumi only. */
export class FakeEngine implements StackEngine {
  readonly calls: Array<{ operation: Operation | "prepare" | "recover"; stack: string; at: number; refresh?: boolean }> = [];
  readonly finished: Array<{ operation: Operation; stack: string; at: number }> = [];
  readonly deployed = new Map<string, StackOutputs>();
  readonly config = new Map<string, StackConfig>();
  /** The backend's marker per stack: written anew by every up, refresh and destroy. */
  readonly markers = new Map<string, StateMarker>();
  /** Stacks whose engine lock is held. */
  readonly locked = new Set<string>();
  private writes = 0;
  running = 0;
  maxRunning = 0;
  private readonly transientLeft = new Map<string, number>();
  private readonly epoch = Date.now();

  constructor(private readonly behaviour: (stack: string, operation: Operation) => FakeBehaviour = () => ({})) {}

  async prepare(stack: StackId, config: StackConfig): Promise<void> {
    this.calls.push({ operation: "prepare", stack: stack.name, at: Date.now() - this.epoch });
    this.config.set(stack.name, { ...this.config.get(stack.name), ...config });
  }

  async run(operation: Operation, stack: StackId, options: RunOptions = {}): Promise<OperationResult> {
    this.calls.push({ operation, stack: stack.name, at: Date.now() - this.epoch, ...(options.refresh ? { refresh: true } : {}) });
    const behaviour = this.behaviour(stack.name, operation);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs ?? 5));
      options.onProgress?.({ stack, resourcesDone: 1 });
      const key = `${operation}:${stack.name}`;
      const left = this.transientLeft.get(key) ?? behaviour.transientFailures ?? 0;
      if (left > 0) {
        this.transientLeft.set(key, left - 1);
        throw new TransientEngineError("Another update is currently in progress");
      }
      if (behaviour.fail) throw new Error(behaviour.fail);
      if (operation === "up") this.deployed.set(stack.name, behaviour.outputs ?? { endpoint: { value: `https://${stack.name}`, secret: false }, token: { value: `s3cr3t-${stack.name}`, secret: true } });
      if (operation === "destroy") this.deployed.delete(stack.name);
      if (operation !== "preview") this.touch(stack.name);
      return operation === "up" ? { changes: { create: 2 }, outputs: this.deployed.get(stack.name) } : { changes: operation === "destroy" ? { delete: 2 } : { same: 2 } };
    } finally {
      this.running -= 1;
      this.finished.push({ operation, stack: stack.name, at: Date.now() - this.epoch });
    }
  }

  /** Scripted diffs per "<kind>:<stack>"; empty when not set. */
  readonly diffs = new Map<string, ResourceChange[]>();

  async diff(kind: DiffKind, stack: StackId): Promise<ResourceChange[]> {
    this.calls.push({ operation: kind === "refresh" ? "refresh" : "preview", stack: stack.name, at: Date.now() - this.epoch });
    return this.diffs.get(`${kind}:${stack.name}`) ?? [];
  }

  async configValue(stack: StackId, key: string): Promise<string | undefined> {
    const entry = this.config.get(stack.name)?.[key];
    if (entry?.secret) throw new Error(`config ${key} of ${stack.name} is a secret`);
    return entry?.value;
  }

  async saveConfig(stack: StackId): Promise<string | null> {
    const config = this.config.get(stack.name);
    return config ? JSON.stringify(config) : null;
  }

  async restoreConfig(stack: StackId, saved: string | null): Promise<void> {
    if (saved === null) this.config.delete(stack.name);
    else this.config.set(stack.name, JSON.parse(saved));
  }

  async configKeys(stack: StackId): Promise<string[]> {
    return Object.keys(this.config.get(stack.name) ?? {});
  }

  async outputs(stack: StackId): Promise<StackOutputs> {
    const outputs = this.deployed.get(stack.name);
    if (!outputs) throw new Error(`no stack named ${stack.name}`);
    return outputs;
  }

  /** What a write to the stack's state does to its marker (a kill midway, a hand-run pulumi command). */
  touch(name: string): void {
    this.writes += 1;
    if (this.deployed.has(name)) this.markers.set(name, { lastUpdate: new Date(Date.UTC(2026, 0, 1, 0, 0, this.writes)).toISOString(), resourceCount: 2 });
    else this.markers.delete(name);
  }

  async stateMarkers(): Promise<ReadonlyMap<string, StateMarker>> {
    return new Map(this.markers);
  }

  async stackLocked(stack: StackId): Promise<boolean> {
    return this.locked.has(stack.name);
  }

  async exists(stack: StackId): Promise<boolean> {
    return this.deployed.has(stack.name);
  }

  async recover(stack: StackId): Promise<string | undefined> {
    this.calls.push({ operation: "recover", stack: stack.name, at: Date.now() - this.epoch });
    return this.behaviour(stack.name, "up").recoverNote;
  }

  readState(stack: StackId): Promise<unknown> {
    return this.exportState(stack);
  }

  async exportState(stack: StackId): Promise<unknown> {
    return { outputs: this.deployed.get(stack.name) };
  }

  async removeStack(stack: StackId): Promise<void> {
    this.deployed.delete(stack.name);
  }
}
