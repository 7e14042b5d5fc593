import type { FleetSettings } from "../../environments/model";
import type { Operation } from "../model/stack";

/** What fleet planning reads of a fleet environment. */
export interface PlanningFleet {
  readonly name: string;
  readonly file: string;
  readonly fleet: FleetSettings;
}

export interface RingStep {
  /** The ring's number as declared (0 is the canary ring), also when destroy runs them backwards. */
  readonly ring: number;
  readonly members: readonly string[];
}

export interface FleetPlan {
  readonly fleet: string;
  readonly operation: Operation;
  /** Rings in the order they run: declared order, reversed for destroy. */
  readonly rings: readonly RingStep[];
}

export function planFleet(fleet: PlanningFleet, operation: Operation): FleetPlan {
  const declared = fleet.fleet.rings.map((members, ring): RingStep => ({ ring, members: [...members] }));
  return { fleet: fleet.name, operation, rings: operation === "destroy" ? declared.reverse() : declared };
}

export type MemberOutcome = "succeeded" | "failed";

export type RingState =
  | { readonly state: "passed"; readonly ring: number }
  | { readonly state: "failed"; readonly ring: number; readonly failed: readonly string[] }
  | { readonly state: "not-started"; readonly ring: number; readonly reason: string };

/**
 * The rings' states once the ones that ran have finished: the first ring with a failed member
 * stops the rollout, so every ring after it did not start and says why.
 */
export function ringStates(plan: FleetPlan, outcomes: ReadonlyMap<string, MemberOutcome>): RingState[] {
  const states: RingState[] = [];
  let stoppedBy: number | undefined;
  for (const step of plan.rings) {
    if (stoppedBy !== undefined) {
      states.push({ state: "not-started", ring: step.ring, reason: `ring ${stoppedBy} failed` });
      continue;
    }
    const ran = step.members.filter((member) => outcomes.has(member));
    if (ran.length < step.members.length) {
      states.push({ state: "not-started", ring: step.ring, reason: "not reached" });
      stoppedBy = step.ring;
      continue;
    }
    const failed = step.members.filter((member) => outcomes.get(member) === "failed");
    if (failed.length > 0) {
      states.push({ state: "failed", ring: step.ring, failed });
      stoppedBy = step.ring;
    } else {
      states.push({ state: "passed", ring: step.ring });
    }
  }
  return states;
}

/**
 * What a resumed rollout still has to do: the rings from the first with a member not done, each
 * with only its members not done, so no member runs twice and none is skipped.
 */
export function remainingRings(plan: FleetPlan, done: ReadonlySet<string>): RingStep[] {
  return plan.rings.map((step) => ({ ring: step.ring, members: step.members.filter((member) => !done.has(member)) })).filter((step) => step.members.length > 0);
}
