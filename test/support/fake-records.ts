import type { BackendRecords } from "../../orchestrator/engine/backend-records";
import type { StackId, StateMarker } from "../../orchestrator/model/stack";
import type { UnreadableState } from "../../orchestrator/model/unreadable-state";
import type { FakeStacks } from "./fake-stacks";

/** The backend's records over the fake's maps: a stack exists while deployed; recovery reports the scripted note. */
export class FakeRecords implements BackendRecords {
  constructor(private readonly stacks: FakeStacks) {}

  async exists(stack: StackId): Promise<boolean> {
    return this.stacks.deployed.has(stack.name);
  }

  async stateMarkers(): Promise<ReadonlyMap<string, StateMarker>> {
    return new Map(this.stacks.markers);
  }

  async stackLocked(stack: StackId): Promise<boolean> {
    return this.stacks.locked.has(stack.name);
  }

  async recover(stack: StackId): Promise<string | undefined> {
    this.stacks.calls.push({ operation: "recover", stack: stack.name, at: this.stacks.order() });
    return this.stacks.behaviour(stack.name, "up").recoverNote;
  }

  async exportState(stack: StackId): Promise<unknown> {
    return { outputs: this.stacks.deployed.get(stack.name) };
  }

  readState(stack: StackId): Promise<unknown> {
    return this.exportState(stack);
  }

  async unreadableStates(stacks: readonly StackId[]): Promise<UnreadableState[]> {
    return stacks.flatMap((stack) => this.stacks.unreadable.get(stack.name) ?? []);
  }

  async removeStack(stack: StackId): Promise<void> {
    this.stacks.deployed.delete(stack.name);
  }
}
