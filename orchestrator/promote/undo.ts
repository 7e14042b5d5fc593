import * as fs from "node:fs";
import * as path from "node:path";
import type { LayerName } from "../../environments/layers";
import type { RunRecord } from "../model/run-record";
import { stackId } from "../model/stack";
import { operate } from "../operate/operate";
import type { RunReporter } from "../run/progress";
import { inRunSession } from "../session/run-session";
import type { Workspace } from "../workspace/workspace";

/** What it takes to put a promoted target back: its checkpoint and the stacks the promotion changed. */
export interface PromotionUndo {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly checkpoint: string;
  readonly stacks: readonly { readonly layer: LayerName; readonly stack: string }[];
}

/**
 * Rolls a finished promotion back (a fleet's `rollback: ring|fleet` after a later member failed):
 * each changed stack's config from the checkpoint, then an up of those stacks under the target's lock.
 */
export async function undoPromotion(workspace: Workspace, undo: PromotionUndo, options: { readonly parallel: number; readonly reporter: RunReporter; readonly signal?: AbortSignal }): Promise<RunRecord> {
  const session = { env: undo.target, operation: "up" as const, lock: { take: `roll back promotion ${undo.id}` }, checks: [{ kind: "passphrase" as const }] };
  return inRunSession(workspace, session, options.reporter, async () => {
    for (const { layer, stack } of undo.stacks) {
      const file = path.join(undo.checkpoint, `Pulumi.${stack}.yaml`);
      await workspace.configFiles.restoreConfig(stackId(layer, undo.target), fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null);
    }
    const promotion = { id: undo.id, source: undo.source, phase: "rollback" as const };
    const layers = undo.stacks.map((stack) => stack.layer);
    return (await operate(workspace, "up", { env: undo.target, layers, parallel: options.parallel, force: true, lockHeld: true, promotion }, options.reporter, options.signal)).record;
  });
}
