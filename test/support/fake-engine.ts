import { TransientEngineError } from "../../orchestrator/engine/errors";
import type { DiffKind, OperationResult, RunOptions, StackConfig, StackEngine, StackOutputs } from "../../orchestrator/engine/stack-engine";
import type { ResourceChange } from "../../orchestrator/model/changes";
import type { Operation, StackId } from "../../orchestrator/model/stack";
import { FakeConfigFiles } from "./fake-config-files";
import { FakeRecords } from "./fake-records";
import { FakeStacks } from "./fake-stacks";

export type { FakeBehaviour } from "./fake-stacks";

/**
 * An in-memory engine with scripted delays and failures, over the stacks it shares with its
 * `configFiles` and `records`. Stands in for Pulumi only.
 */
export class FakeEngine extends FakeStacks implements StackEngine {
  readonly configFiles = new FakeConfigFiles(this);
  readonly records = new FakeRecords(this);
  readonly finished: Array<{ operation: Operation; stack: string; at: number }> = [];
  running = 0;
  maxRunning = 0;
  private readonly transientLeft = new Map<string, number>();
  /** Scripted diffs per "<kind>:<stack>"; empty when not set. */
  readonly diffs = new Map<string, ResourceChange[]>();

  async prepare(stack: StackId, config: StackConfig): Promise<void> {
    this.calls.push({ operation: "prepare", stack: stack.name, at: this.order() });
    this.config.set(stack.name, { ...this.config.get(stack.name), ...config });
  }

  async run(operation: Operation, stack: StackId, options: RunOptions = {}): Promise<OperationResult> {
    this.calls.push({ operation, stack: stack.name, at: this.order(), ...(options.refresh ? { refresh: true } : {}) });
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
      this.finished.push({ operation, stack: stack.name, at: this.order() });
    }
  }

  async diff(kind: DiffKind, stack: StackId): Promise<ResourceChange[]> {
    this.calls.push({ operation: kind === "refresh" ? "refresh" : "preview", stack: stack.name, at: this.order() });
    return this.diffs.get(`${kind}:${stack.name}`) ?? [];
  }

  async outputs(stack: StackId): Promise<StackOutputs> {
    const outputs = this.deployed.get(stack.name);
    if (!outputs) throw new Error(`no stack named ${stack.name}`);
    return outputs;
  }
}
