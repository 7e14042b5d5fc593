import * as fs from "node:fs";
import type { Stack } from "@pulumi/pulumi/automation";
import type { BackendRecords } from "../engine/backend-records";
import { ownerAlive } from "../locks/environment-lock";
import type { StackId, StateMarker } from "../model/stack";
import type { UnreadableState } from "../model/unreadable-state";
import type { AutomationWorkspace } from "./automation-workspace";
import { FileBackend } from "./file-backend";
import { clearPendingOperations, type Deployment } from "./pending-operations";
import { pulumiCli } from "./pulumi-cli";

/** The backend's records of the stacks: from the run's one listing, the CLI, and a file:// backend's own files. */
export class AutomationRecords implements BackendRecords {
  private readonly files: FileBackend;

  constructor(private readonly shared: AutomationWorkspace) {
    this.files = new FileBackend(shared);
  }

  exists(stack: StackId): Promise<boolean> {
    return this.shared.listing.has(stack.name);
  }

  stateMarkers(options: { fresh?: boolean } = {}): Promise<ReadonlyMap<string, StateMarker>> {
    return this.shared.listing.markers(options);
  }

  async stackLocked(stack: StackId): Promise<boolean> {
    return (await this.files.stackLocks(stack.name)).length > 0;
  }

  async recover(stack: StackId): Promise<string | undefined> {
    if (!(await this.exists(stack))) return undefined;
    const notes: string[] = [];
    const selected = await this.shared.stack(stack, { create: false });
    let heldByLiveRun = false;
    for (const lock of await this.files.stackLocks(stack.name)) {
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
    await this.shared.stack(stack, { create: false });
    return JSON.parse(await pulumiCli(this.shared.options, ["stack", "export", "--stack", stack.name], `export of ${stack.name}`));
  }

  async readState(stack: StackId): Promise<unknown> {
    return (await this.files.checkpoint(stack.name)) ?? this.exportState(stack);
  }

  unreadableStates(stacks: readonly StackId[], recoveryDir: string): Promise<UnreadableState[]> {
    return this.files.unreadableStates(stacks.map((stack) => stack.name), recoveryDir);
  }

  removeStack(stack: StackId): Promise<void> {
    return this.shared.removeStack(stack);
  }
}
