import { randomUUID } from "node:crypto";
import pLimit from "p-limit";
import { LAYER_NAMES, type LayerName } from "../../environments/layers";
import { loadEnvironment } from "../../environments/load";
import { PreflightError } from "../model/preflight-error";
import type { PromotionReport } from "../model/promotion-report";
import { planFleet, remainingRings, ringStates, type MemberOutcome, type RingState } from "../plan/fleet";
import { promote, undoPromotion, waitForSoak, type PromoteOptions, type PromoteOutcome, type PromotionUndo } from "../promote/promote";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";
import type { AfterRing, FleetEnvironment } from "./fleet";
import { fleetPromotionRecord, memberDone, promotedMembers, unfinishedFleetPromotion } from "./promotion-record";

type MemberOptions = Omit<PromoteOptions, "target" | "reporter" | "approve">;

export interface FleetPromoteOptions extends MemberOptions {
  /** The approval gate of each member, which may name its own approvers. */
  readonly approveFor: (member: string) => PromoteOptions["approve"];
  /** Only continue an unfinished promotion; refuse when there is none. */
  readonly resume?: boolean;
  readonly afterRing?: AfterRing;
}

export interface MemberPromotion {
  readonly member: string;
  readonly ring: number;
  readonly result: PromotionReport["result"] | "failed";
  /** Done by an earlier attempt of this promotion, so not promoted again. */
  readonly earlier?: true;
  readonly outcome?: PromoteOutcome;
  /** What stopped the member before its promotion reported (a lock, bad input). */
  readonly error?: unknown;
}

export interface FleetPromotionResult {
  readonly id: string;
  readonly source: string;
  readonly fleet: string;
  /** The unfinished promotion this one continued, when it did. */
  readonly resumed: boolean;
  readonly result: "promoted" | "halted";
  readonly members: readonly MemberPromotion[];
  /** Members already promoted that `rollback: ring|fleet` put back after another member failed. */
  readonly rolledBack: readonly RolledBackMember[];
  readonly rings: readonly RingState[];
}

export interface RolledBackMember {
  readonly member: string;
  readonly succeeded: boolean;
  readonly reason?: string;
}

/**
 * Promotes the source's release into a fleet ring by ring, each member with the one-environment
 * promotion (gates, apply, verify, rollback of that member on failure). The first member that is
 * not promoted halts the rollout; the record lets the same command continue where it stopped.
 */
export async function promoteFleet(workspace: Workspace, fleet: FleetEnvironment, options: FleetPromoteOptions, reporterFor: (member: string) => RunReporter): Promise<FleetPromotionResult> {
  const record = fleetPromotionRecord(workspace.dataDir);
  const { resume, afterRing, approveFor, ...promoteOptions } = options;
  const unfinished = unfinishedFleetPromotion(record.readAll(), fleet.name);
  const say = (line: string) => reporterFor(fleet.name).say(line);
  if (resume && !unfinished) throw new PreflightError(`no unfinished promotion into fleet ${fleet.name} to resume; run npm run promote -- ${options.source} ${fleet.name} to start one`);
  if (resume && unfinished && unfinished.source !== options.source) {
    throw new PreflightError(`the unfinished promotion into ${fleet.name} (${unfinished.id}) is from ${unfinished.source}, not ${options.source}; resume it with npm run promote -- ${unfinished.source} ${fleet.name} --resume`);
  }
  const continuing = unfinished && unfinished.source === options.source ? unfinished : undefined;
  if (unfinished && !continuing) record.append({ kind: "end", id: unfinished.id, result: "superseded" });
  const id = continuing?.id ?? `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`;
  if (!continuing) record.append({ kind: "start", id, source: options.source, fleet: fleet.name, startedAt: new Date().toISOString() });
  else say(`resuming promotion ${id}: done already: ${[...continuing.done].join(", ") || "none"}`);

  const plan = planFleet(fleet, "up");
  const done = continuing?.done ?? new Set<string>();
  const members: MemberPromotion[] = plan.rings.flatMap((step) => step.members.filter((member) => done.has(member)).map((member) => ({ member, ring: step.ring, result: "promoted" as const, earlier: true as const })));
  const remaining = remainingRings(plan, done);
  let halted = false;
  const rolledBack: RolledBackMember[] = [];
  for (const [index, step] of remaining.entries()) {
    if (options.signal?.aborted) {
      halted = true;
      break;
    }
    const unsoaked = await unsoakedMembers(workspace, previousRing(plan.rings, step.ring), promoteOptions.layers, say, options.signal);
    if (unsoaked.length > 0) {
      say(`ring ${step.ring} not started: ${unsoaked.join("; ")}; run the same command again once they have soaked`);
      halted = true;
      break;
    }
    say(`ring ${step.ring}: promote ${options.source} -> ${step.members.join(", ")}`);
    const limit = pLimit(options.parallel);
    const promoted = await Promise.all(step.members.map((member) => limit(() => promoteMember(workspace, member, step.ring, { ...promoteOptions, approve: approveFor(member) }, reporterFor(member)))));
    for (const member of promoted) {
      const undo = member.outcome && member.result === "promoted" ? undoOf(member.outcome.report) : undefined;
      record.append({ kind: "member", id, member: member.member, result: member.result, ...(member.outcome ? { promotion: member.outcome.report.id } : {}), ...(member.error !== undefined ? { error: messageOf(member.error) } : {}), ...(undo ? { undo } : {}) });
    }
    members.push(...promoted);
    if (promoted.some((member) => !memberDone(member.result))) {
      halted = true;
      rolledBack.push(...(await rollBackMore(workspace, fleet, id, step.members, { ...promoteOptions, reporterFor })));
      break;
    }
    if (afterRing && index < remaining.length - 1) await afterRing(step, options.signal);
  }
  if (!halted) record.append({ kind: "end", id, result: "promoted" });
  const outcomes = new Map(members.map((member): [string, MemberOutcome] => [member.member, memberDone(member.result) ? "succeeded" : "failed"]));
  return { id, source: options.source, fleet: fleet.name, resumed: continuing !== undefined, result: halted ? "halted" : "promoted", members, rolledBack, rings: ringStates(plan, outcomes) };
}

async function promoteMember(workspace: Workspace, member: string, ring: number, options: MemberOptions & Pick<PromoteOptions, "approve">, reporter: RunReporter): Promise<MemberPromotion> {
  try {
    const outcome = await promote(workspace, { ...options, target: member, reporter });
    return { member, ring, result: outcome.report.result, outcome };
  } catch (error) {
    return { member, ring, result: "failed", error };
  }
}

/** The stacks a finished promotion changed, with its checkpoint: what rolls it back later. */
function undoOf(report: PromotionReport): PromotionUndo | undefined {
  const stacks = report.stacks.filter((stack) => stack.changes.length > 0 || stack.target in report.applied).map((stack) => ({ layer: stack.layer, stack: stack.target }));
  return report.checkpoint && stacks.length > 0 ? { id: report.id, source: report.source, target: report.target, checkpoint: report.checkpoint, stacks } : undefined;
}

/**
 * After a member failed (and was rolled back by its own promotion): with `rollback: ring`, the
 * ring's members this promotion promoted; with `fleet`, every member it promoted, last ring first.
 * Each is recorded as rolled back, so a resume promotes it again.
 */
async function rollBackMore(
  workspace: Workspace,
  fleet: FleetEnvironment,
  id: string,
  ring: readonly string[],
  options: Pick<PromoteOptions, "parallel" | "signal"> & { readonly reporterFor: (member: string) => RunReporter },
): Promise<RolledBackMember[]> {
  if (fleet.fleet.rollback === "member") return [];
  const record = fleetPromotionRecord(workspace.dataDir);
  const promoted = promotedMembers(record.readAll(), id);
  const chosen = [...fleet.fleet.members].reverse().filter((member) => promoted.has(member) && (fleet.fleet.rollback === "fleet" || ring.includes(member)));
  const done: RolledBackMember[] = [];
  for (const member of chosen) {
    try {
      const run = await undoPromotion(workspace, promoted.get(member)!, { parallel: options.parallel, reporter: options.reporterFor(member), signal: options.signal });
      const succeeded = run.status === "succeeded";
      if (succeeded) record.append({ kind: "member", id, member, result: "rolled-back" });
      done.push({ member, succeeded, ...(succeeded ? {} : { reason: run.error ?? `run ${run.status}` }) });
    } catch (error) {
      done.push({ member, succeeded: false, reason: messageOf(error) });
    }
  }
  return done;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split("\n")[0] : String(error);
}

/** The members of the ring before `ring` in the plan's order: they soak before `ring` starts, also when a resumed promotion starts at `ring`. */
function previousRing(rings: readonly { readonly ring: number; readonly members: readonly string[] }[], ring: number): readonly string[] {
  const index = rings.findIndex((step) => step.ring === ring);
  return index > 0 ? rings[index - 1]!.members : [];
}

/** Waits for each member's requiredSoak (its `gates:`, from the fleet file) on the layers promoted; names those whose soak cannot end by waiting. */
async function unsoakedMembers(workspace: Workspace, members: readonly string[], layers: readonly string[] | undefined, say: (line: string) => void, signal?: AbortSignal): Promise<string[]> {
  const unsoaked: string[] = [];
  for (const member of members) {
    const env = loadEnvironment(member, { dir: workspace.environmentsDir });
    const promoted: LayerName[] = LAYER_NAMES.filter((layer) => env.layers[layer].enabled && (!layers || layers.includes(layer)));
    const soak = await waitForSoak(workspace, env, promoted, { say, ...(signal ? { signal } : {}) });
    if (!soak.satisfied) unsoaked.push(`${member}: ${soak.reason}`);
  }
  return unsoaked;
}
