import type { StackId, StateMarker } from "../model/stack";
import type { UnreadableState } from "../model/unreadable-state";

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
  /**
   * The stacks whose state does not parse, read without the engine (which fails on all stacks at
   * once); the newest good copy of each is written to `recoveryDir` ready to import. Only a file://
   * backend's files can be read so; other backends give none.
   */
  unreadableStates(stacks: readonly StackId[], recoveryDir: string): Promise<UnreadableState[]>;
}
