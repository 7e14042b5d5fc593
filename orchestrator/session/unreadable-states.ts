import * as path from "node:path";
import type { UnreadableState } from "../model/unreadable-state";
import type { StackId } from "../model/stack";
import type { Workspace } from "../workspace/workspace";

/** Why a stack whose state does not parse was not run: its file, the good copies and the command that restores the newest. Pure. */
export function unreadableStateMessage(state: UnreadableState): string {
  const lines = [`${state.stack}: its state file ${state.file} does not parse (${state.problem}); nothing was run on it or written to it`];
  if (state.goodCopies.length === 0) {
    lines.push(
      `  no good copy: no backup in the backend's .pulumi/backups, no ${path.basename(state.file)}.bak, no update checkpoint in .pulumi/history; ` +
        `put the file back from a backup of your own, or remove the stack (pulumi stack rm --force --stack ${state.stack}) and import its resources again`,
    );
    return lines.join("\n");
  }
  const shown = state.goodCopies.slice(0, 3).map((copy) => `${copy.file} (${copy.kind}, ${copy.savedAt})`);
  const more = state.goodCopies.length > shown.length ? `, and ${state.goodCopies.length - shown.length} older` : "";
  lines.push(`  last good copies, newest first: ${shown.join(", ")}${more}`);
  if (state.restore) lines.push(`  restore the newest (written as stack import takes it): ${state.restore.command}`);
  return lines.join("\n");
}

/** The stacks of the plan whose state does not parse; the newest good copy of each goes to `.platform/recovery`. */
export function findUnreadableStates(workspace: Workspace, stacks: readonly StackId[]): Promise<UnreadableState[]> {
  return workspace.records.unreadableStates(stacks, path.join(workspace.dataDir, "recovery"));
}

/** Stack name -> the message its result carries. Pure. */
export function unreadableReasons(states: readonly UnreadableState[]): ReadonlyMap<string, string> {
  return new Map(states.map((state) => [state.stack, unreadableStateMessage(state)]));
}
