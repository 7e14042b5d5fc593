import pLimit from "p-limit";
import type { EnvironmentSpec } from "../../environments/model";
import type { Operation } from "../model/stack";
import { planFleet, ringStates, type FleetPlan, type MemberOutcome, type RingState, type RingStep } from "../plan/fleet";
import type { RunReporter } from "../run/progress";
import { operate, type OperateOptions, type OperateResult } from "../operate/operate";
import type { Workspace } from "../workspace/workspace";

/**
 * Called after each ring has passed, before the next starts, with the ring's members; the place
 * for a soak wait or health checks. A throw stops the rollout there.
 */
export type AfterRing = (ring: RingStep, signal?: AbortSignal) => Promise<void>;

export interface MemberRun {
  readonly member: string;
  readonly ring: number;
  readonly outcome: MemberOutcome;
  readonly result?: OperateResult;
  /** What stopped the member before or outside its stacks (a lock, bad config, a refused gate). */
  readonly error?: unknown;
}

export interface FleetRunResult {
  readonly plan: FleetPlan;
  readonly members: readonly MemberRun[];
  readonly rings: readonly RingState[];
}

export interface FleetRunOptions extends Omit<OperateOptions, "env" | "lockHeld" | "promotion"> {
  /** At most this many members of a ring at once. */
  readonly parallelMembers: number;
  readonly afterRing?: AfterRing;
}

export type FleetEnvironment = EnvironmentSpec & { readonly fleet: NonNullable<EnvironmentSpec["fleet"]> };

export function isFleet(env: EnvironmentSpec): env is FleetEnvironment {
  return env.fleet !== undefined;
}

/** up / preview / refresh / destroy over a fleet: ring by ring (destroy backwards), members of a ring in parallel, stopping at the first failing ring. */
export async function operateFleet(
  workspace: Workspace,
  operation: Operation,
  fleet: FleetEnvironment,
  options: FleetRunOptions,
  reporterFor: (member: string) => RunReporter,
  signal?: AbortSignal,
): Promise<FleetRunResult> {
  const plan = planFleet(fleet, operation);
  const { parallelMembers, afterRing, ...operateOptions } = options;
  const members: MemberRun[] = [];
  for (const [index, step] of plan.rings.entries()) {
    if (signal?.aborted) break;
    reporterFor(fleet.name).say(`ring ${step.ring}: ${operation} ${step.members.join(", ")}`);
    const limit = pLimit(parallelMembers);
    const runs = await Promise.all(step.members.map((member) => limit(() => runMember(workspace, operation, member, step.ring, operateOptions, reporterFor(member), signal))));
    members.push(...runs);
    if (runs.some((run) => run.outcome === "failed")) break;
    if (afterRing && index < plan.rings.length - 1) await afterRing(step, signal);
  }
  const outcomes = new Map(members.map((run) => [run.member, run.outcome]));
  return { plan, members, rings: ringStates(plan, outcomes) };
}

async function runMember(
  workspace: Workspace,
  operation: Operation,
  member: string,
  ring: number,
  options: Omit<OperateOptions, "env">,
  reporter: RunReporter,
  signal?: AbortSignal,
): Promise<MemberRun> {
  try {
    const result = await operate(workspace, operation, { ...options, env: member }, reporter, signal);
    return { member, ring, outcome: result.record.status === "succeeded" ? "succeeded" : "failed", result };
  } catch (error) {
    return { member, ring, outcome: "failed", error };
  }
}
