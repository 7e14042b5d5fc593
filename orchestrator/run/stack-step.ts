import type { StackId } from "../model/stack";

/** What an operation's own step did to a stack before the engine runs it. */
export interface StackPreparation {
  /** Lines for the stack's notes (a release repaired, a leftover removed). */
  readonly notes: readonly string[];
  /** Why part of the step could not be done; noted, the stack still runs. */
  readonly unchecked?: string;
  /** Why the stack's state may no longer match the cluster: it is then never skipped, and refreshed first. */
  readonly reconcile?: string;
}

/** A step one operation plugs in before each of its stacks runs (the stuck-release repair of up and destroy). */
export interface StackStep {
  before(stack: StackId): Promise<StackPreparation>;
}
