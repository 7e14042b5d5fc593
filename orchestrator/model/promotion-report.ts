import type { CostDelta } from "../../environments/cost-delta";
import type { LayerName } from "../../environments/layers";
import type { LayerRelease, ReleaseChange } from "../../environments/release";
import type { ChangeCounts, ResourceChange } from "./changes";
import type { Hold } from "./hold";
import type { BreakGlass } from "./run-record";

/** The promotion gates, in the order they are checked. */
export type GateName = "change-window" | "target-not-held" | "source-soaked" | "source-deployed" | "source-successful" | "source-drift-free" | "policy" | "target-preview" | "capacity" | "budget" | "approval";

export interface GateResult {
  readonly gate: GateName;
  readonly passed: boolean;
  readonly reason: string;
}

export interface StackPromotion {
  readonly layer: LayerName;
  readonly source: string;
  readonly target: string;
  readonly before: LayerRelease;
  readonly after: LayerRelease;
  readonly changes: readonly ReleaseChange[];
}

export interface PromotionReport {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly startedAt: string;
  readonly result: "promoted" | "nothing-to-promote" | "refused" | "rolled-back" | "rollback-failed";
  readonly approver?: string;
  /** Where the target stacks' pre-promotion config and state were saved. */
  readonly checkpoint?: string;
  readonly gates: readonly GateResult[];
  readonly stacks: readonly StackPromotion[];
  /** Per target stack: what the preview said would change. */
  readonly preview: Readonly<Record<string, readonly ResourceChange[]>>;
  /** Per target stack: what the apply changed. */
  readonly applied: Readonly<Record<string, ChangeCounts>>;
  readonly verification?: readonly { readonly stack: string; readonly passed: boolean; readonly reason: string }[];
  readonly rollback?: { readonly stacks: readonly string[]; readonly succeeded: boolean; readonly reason: string };
  /** What the promotion changes in the target's monthly estimate, and the budget it was held to. */
  readonly cost?: PromotionCost;
  /** Earlier promotions into the target that never reached their verified end, and what this one did with them. */
  readonly recovered?: RecoveredPromotions;
  /** Set when the promotion went ahead outside the target's change windows. */
  readonly breakGlass?: BreakGlass;
  /** The hold this promotion's rollback placed on the target. */
  readonly hold?: Hold;
}

/**
 * finished: their release is now applied and verified; rolled-back: their stacks run the verified
 * release from before them again; superseded: a newer release was applied and verified over them;
 * unsettled: this promotion could not settle them (its rollback failed, or it left their stacks out).
 */
export interface RecoveredPromotions {
  readonly promotions: readonly string[];
  readonly outcome: "finished" | "rolled-back" | "superseded" | "unsettled";
  /** Target stacks that were not settled when this promotion began, and why. */
  readonly stacks: readonly { readonly stack: string; readonly why: string }[];
}


export interface PromotionCost {
  /** The price list and its date: `list prices of 2025-01-15 (...)`. */
  readonly prices: string;
  readonly delta: CostDelta;
  readonly budget?: number;
  /** Why a promotion above the budget was let through, as given with --approve-budget. */
  readonly budgetApproval?: string;
}
