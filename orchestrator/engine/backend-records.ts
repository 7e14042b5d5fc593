import type { StackId, StateMarker } from "../model/stack";

/** What the state backend records of the stacks, and the recovery of what a killed run left there. */
export interface BackendRecords {
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
