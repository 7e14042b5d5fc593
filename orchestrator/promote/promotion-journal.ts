import * as fs from "node:fs";
import * as path from "node:path";
import type { LayerRelease } from "../../environments/release";
import { JsonLines } from "../history/jsonl";
import type { PromotionReport } from "../model/promotion-report";

/** Written before a promotion changes the target's config: a start with no end is a promotion that never reached its verified end. */
export interface PromotionStart {
  readonly kind: "start";
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly startedAt: string;
  /** Where the target stacks' config and state from before it are saved. */
  readonly checkpoint: string;
  readonly stacks: readonly { readonly stack: string; readonly before: LayerRelease; readonly after: LayerRelease }[];
}

/** Written when a promotion ends, whatever its result; `settles` names earlier unfinished promotions it finished or rolled back. */
export interface PromotionEnd {
  readonly kind: "end";
  readonly id: string;
  readonly target: string;
  readonly endedAt: string;
  readonly result: PromotionReport["result"];
  readonly settles: readonly string[];
}

export type PromotionStep = PromotionStart | PromotionEnd;

/** The checkout's promotion steps, beside the run history (0600, one JSON line each). */
export function promotionSteps(dataDir: string): JsonLines<PromotionStep> {
  return new JsonLines(path.join(dataDir, "history", "promotion-steps.jsonl"));
}

/**
 * Promotions into `target` that started and neither ended nor were settled by a later one, oldest
 * first. One whose rollback failed ended with its stacks unsettled: it counts as unfinished. Pure.
 */
export function unfinishedPromotions(steps: readonly PromotionStep[], target: string): PromotionStart[] {
  const ended = new Set(steps.flatMap((step) => (step.kind !== "end" ? [] : step.result === "rollback-failed" ? step.settles : [step.id, ...step.settles])));
  return steps.filter((step): step is PromotionStart => step.kind === "start" && step.target === target && !ended.has(step.id));
}

/** What a target stack ran before the oldest unfinished promotion that touched it: the last release that was deployed and verified. */
export interface VerifiedBaseline {
  readonly promotion: PromotionStart;
  readonly release: LayerRelease;
  /** Its settings file then; null when it had none. */
  readonly config: string | null;
  /** Its exported state then, when it existed. */
  readonly state?: unknown;
}

/** Per target stack, its verified baseline, from the checkpoints of the unfinished promotions. */
export function verifiedBaselines(unfinished: readonly PromotionStart[]): Map<string, VerifiedBaseline> {
  const baselines = new Map<string, VerifiedBaseline>();
  for (const promotion of unfinished) {
    if (!fs.existsSync(promotion.checkpoint)) {
      throw new Error(`promotion ${promotion.id} into ${promotion.target} never reached its verified end and its checkpoint ${promotion.checkpoint} is gone: put the config of ${promotion.stacks.map((x) => x.stack).join(", ")} back by hand, then delete its start line from promotion-steps.jsonl in the history folder`);
    }
    for (const { stack, before } of promotion.stacks) {
      if (baselines.has(stack)) continue;
      const configFile = path.join(promotion.checkpoint, `Pulumi.${stack}.yaml`);
      const stateFile = path.join(promotion.checkpoint, `${stack}.state.json`);
      baselines.set(stack, {
        promotion,
        release: before,
        config: fs.existsSync(configFile) ? fs.readFileSync(configFile, "utf8") : null,
        ...(fs.existsSync(stateFile) ? { state: JSON.parse(fs.readFileSync(stateFile, "utf8")) as unknown } : {}),
      });
    }
  }
  return baselines;
}
