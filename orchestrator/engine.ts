import type { LayerName } from "../environments/layers";

/**
 * The one seam between planning/running and the Pulumi engine. The real implementation
 * (orchestrator/automation/) wraps the Automation API; tests put a fake behind it.
 */
export type Operation = "up" | "preview" | "refresh" | "destroy";

export interface StackId {
  readonly layer: LayerName;
  readonly env: string;
  /** `<layer>-<env>` */
  readonly name: string;
}

/** Pulumi's own change kinds (create, update, delete, replace, same, ...) to counts. */
export type ChangeCounts = Readonly<Record<string, number>>;

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

/** One property a step would change: its path (as Pulumi writes it) and values, secrets shown as [secret]. */
export interface PropertyChange {
  readonly path: string;
  readonly kind: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

/** One resource a preview would touch. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Pulumi's step op: create, update, delete, replace, ... */
  readonly op: string;
  readonly properties: readonly PropertyChange[];
}

/**
 * What the backend's stack listing says of a stack's state. The engine stamps the state with the
 * time of every write, so an unchanged marker means no run has written the state since.
 */
export interface StateMarker {
  readonly lastUpdate: string;
  readonly resourceCount: number;
}

/** `refresh`: recorded state against reality. `preview`: the program against recorded state. */
export type DiffKind = "refresh" | "preview";

export interface StackEngine {
  /** The resources a refresh preview or a program preview would change, property by property; changes nothing. */
  diff(kind: DiffKind, stack: StackId, options?: { signal?: AbortSignal }): Promise<ResourceChange[]>;
  /** Creates the stack when missing, selects it, and replaces its config with `config`. */
  prepare(stack: StackId, config: StackConfig): Promise<void>;
  run(operation: Operation, stack: StackId, options?: RunOptions): Promise<OperationResult>;
  outputs(stack: StackId): Promise<StackOutputs>;
  /** A non-secret config value of the stack (without the project prefix), or undefined. */
  configValue(stack: StackId, key: string): Promise<string | undefined>;
  /** The stack's whole config as stored (secrets stay encrypted), to put back later; null when it has none. */
  saveConfig(stack: StackId): Promise<string | null>;
  restoreConfig(stack: StackId, saved: string | null): Promise<void>;
  /** Names of the config keys a stack has (without the project prefix); never their values. */
  configKeys(stack: StackId): Promise<string[]>;
  /** True when the stack exists in the backend. */
  exists(stack: StackId): Promise<boolean>;
  /** Every stack's marker from one listing of the backend; `fresh` lists again instead of reusing this run's listing. */
  stateMarkers(options?: { fresh?: boolean }): Promise<ReadonlyMap<string, StateMarker>>;
  /** True when the engine's own lock on the stack is held (a pulumi run going on, or one that was killed). */
  stackLocked(stack: StackId): Promise<boolean>;
  /**
   * Clears what a killed run left behind (a stale lock, pending operations); returns a
   * description of what it recovered, or undefined when the stack was clean.
   */
  recover(stack: StackId): Promise<string | undefined>;
  /** The stack's deployment as `pulumi stack export` writes it: secret values stay ciphertext. */
  exportState(stack: StackId): Promise<unknown>;
  /** The same deployment for reading only: from the state file itself when the backend is a folder. */
  readState(stack: StackId): Promise<unknown>;
  removeStack(stack: StackId): Promise<void>;
}

/** Engine failures worth retrying (a concurrent-update conflict, a dropped connection). */
export class TransientEngineError extends Error {
  override readonly name = "TransientEngineError";
}

/** A mandatory policy stopped the operation; `violations` are "<policy>: <message>" lines. */
export class PolicyViolationError extends Error {
  override readonly name = "PolicyViolationError";
  constructor(readonly violations: readonly string[]) {
    super(`policy violations: ${violations.join("; ")}`);
  }
}
