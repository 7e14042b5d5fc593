import { promoteFleet, type FleetPromoteOptions, type FleetPromotionResult, type MemberPromotion } from "../../fleet/fleet-promotion";
import type { FleetEnvironment } from "../../fleet/fleet";
import type { Workspace } from "../../workspace/workspace";
import { afterPromotion } from "../output/aftermath";
import { EXIT } from "../output/exit-codes";
import { memberReporter } from "../output/fleet-output";

function memberLine(member: MemberPromotion): string {
  if (member.earlier) return `${member.member}: promoted (by an earlier attempt; not promoted again)`;
  if (member.error !== undefined) return `${member.member}: failed: ${member.error instanceof Error ? member.error.message.split("\n")[0] : String(member.error)}`;
  return `${member.member}: ${member.result}${member.outcome ? ` (change log ${member.outcome.changelogFile})` : ""}`;
}

export function renderFleetPromotion(result: FleetPromotionResult): string {
  const lines = [`promotion ${result.source} -> fleet ${result.fleet}: ${result.result}${result.resumed ? ` (resumed ${result.id})` : ""}`];
  for (const ring of result.rings) {
    lines.push(`  ring ${ring.ring}: ${ring.state === "not-started" ? `not started (${ring.reason})` : ring.state}`);
    for (const member of result.members.filter((candidate) => candidate.ring === ring.ring)) lines.push(`    ${memberLine(member)}`);
  }
  for (const undone of result.rolledBack) lines.push(`  rolled back (fleet rollback setting): ${undone.member}${undone.succeeded ? "" : ` FAILED: ${undone.reason}`}`);
  if (result.result === "halted") lines.push(`continue with: npm run promote -- ${result.source} ${result.fleet} --resume`);
  return lines.join("\n");
}

function fleetPromotionDocument(result: FleetPromotionResult): Record<string, unknown> {
  return {
    ...result,
    members: result.members.map(({ outcome, error, ...member }) => ({
      ...member,
      ...(outcome ? { report: outcome.report, changelog: outcome.changelogFile } : {}),
      ...(error !== undefined ? { error: error instanceof Error ? error.message : String(error) } : {}),
    })),
  };
}

/** promote into a fleet: ring by ring, the per-member report (or --json document), and the exit code of the member that halted it. */
export async function runFleetPromotion(workspace: Workspace, fleet: FleetEnvironment, options: FleetPromoteOptions, json: boolean): Promise<void> {
  const result = await promoteFleet(workspace, fleet, options, (member) => memberReporter(member, { json }));
  for (const member of result.members) if (member.outcome) await afterPromotion(workspace, member.outcome.report, member.outcome.changelogFile);
  process.stdout.write(`${json ? JSON.stringify(fleetPromotionDocument(result), null, 2) : renderFleetPromotion(result)}\n`);
  const halting = result.members.find((member) => member.result !== "promoted" && member.result !== "nothing-to-promote");
  if (halting?.error !== undefined) throw halting.error;
  // Halted with no member failing: interrupted, or a ring's soak could not end by waiting (a gate: refused).
  const haltedBy = options.signal?.aborted ? EXIT.interrupted : EXIT.refused;
  process.exitCode = !halting ? (result.result === "halted" ? haltedBy : EXIT.ok) : halting.result === "refused" ? EXIT.refused : EXIT.failed;
}
