import type { ChangeCounts, ResourceChange } from "../model/changes";
import type { Operation, StackId } from "../model/stack";

/**
 * The engine proper: what the orchestrator asks Pulumi to do with one stack. The real
 * implementation (orchestrator/automation/) wraps the Automation API; tests put a fake behind it.
 */
export interface StackEngine {
  /** Creates the stack when missing, selects it, and sets `config` on it. */
  prepare(stack: StackId, config: StackConfig): Promise<void>;
  run(operation: Operation, stack: StackId, options?: RunOptions): Promise<OperationResult>;
  /** The resources a refresh preview or a program preview would change, property by property; changes nothing. */
  diff(kind: DiffKind, stack: StackId, options?: { signal?: AbortSignal }): Promise<ResourceChange[]>;
  outputs(stack: StackId): Promise<StackOutputs>;
}

export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}
export type StackOutputs = Readonly<Record<string, StackOutput>>;

export interface ConfigEntry {
  readonly value: string;
  readonly secret: boolean;
}
export type StackConfig = Readonly<Record<string, ConfigEntry>>;

export interface OperationResult {
  readonly changes: ChangeCounts;
  /** Present after up and refresh; secret values stay marked secret. */
  readonly outputs?: StackOutputs;
}

/** Progress from inside one operation, for live display. */
export interface EngineProgress {
  readonly stack: StackId;
  readonly resourcesDone: number;
  readonly message?: string;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EngineProgress) => void;
  /** For preview/up/destroy: refresh state first. */
  readonly refresh?: boolean;
  /** For preview/up: policy packs (directories) to enforce. */
  readonly policyPacks?: readonly string[];
}

/** `refresh`: recorded state against reality. `preview`: the program against recorded state. */
export type DiffKind = "refresh" | "preview";
