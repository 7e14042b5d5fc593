import type { Command } from "commander";
import { PreflightError } from "../../model/preflight-error";
import { promote } from "../../promote/promote";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { afterPromotion, announcingApproval } from "../output/aftermath";
import { approvalSource, type ApprovalFlags } from "../options/approval";
import { withBreakGlassOption, withLayersOption, withParallelOption, withWorkspaceOptions } from "../options/command-options";
import { addHoldCommands } from "./promote-holds";
import { EXIT } from "../output/exit-codes";
import { approvalFlagsProblem, breakGlassRequest, environmentName, repeatable, wholeNumber } from "../options/flags";
import { terminalReporter } from "../output/reporter";
import type { CommandContext } from "./context";
import { loadEnvironment } from "../../../environments/load";
import { isFleet } from "../../fleet/fleet";
import { runFleetPromotion } from "./fleet-promote";
import type { PromotionReport } from "../../model/promotion-report";

/** What became of an earlier promotion that never reached its verified end, for the last line. */
function recoveredNote(report: PromotionReport): string {
  const recovered = report.recovered;
  if (!recovered) return "";
  return `; ${recovered.promotions.length > 0 ? `unfinished promotion ${recovered.promotions.join(", ")}` : "unsettled target stacks"} ${recovered.outcome}`;
}

interface PromoteFlags extends ApprovalFlags, WorkspaceOptions {
  layers?: string[];
  parallel: number;
  verifyTimeout: number;
  policyPack?: string[];
  json?: boolean;
  approveBudget?: boolean;
  waitSoak?: boolean;
  breakGlass?: boolean;
  reason?: string;
  resume?: boolean;
}

export function addPromoteCommand(program: Command, { interrupts }: CommandContext): void {
  const command = program
    .command("promote")
    .description("promote the source's release (chart versions, component values) to the target, with gates, approval and automatic rollback")
    .argument("<source>", "environment to promote from", environmentName)
    .argument("<target>", "environment to promote to", environmentName);
  withParallelOption(withLayersOption(command), "stacks at once")
    .option("--approve", "approve (required where the target says so; needs --approver in CI)")
    .option("--approver <identity>", "who approves, recorded with the run")
    .option("--verify-timeout <seconds>", "how long workloads may take to become healthy", wholeNumber(1, 300), 300)
    .option("--policy-pack <dir>", "extra policy pack (repeatable)", repeatable)
    .option("--approve-budget", "let the promotion take the target above its monthly budget (needs --reason, recorded)")
    .option("--wait-soak", "wait (showing the time left) until the source has soaked, instead of refusing")
    .option("--json", "the promotion report as JSON on stdout")
    .option("--resume", "into a fleet: continue the unfinished promotion where its record says it stopped (the same command again does too)");
  withBreakGlassOption(command);
  addHoldCommands(command.enablePositionalOptions());
  withWorkspaceOptions(command)
    .addHelpText("after", "\nExamples:\n  npm run promote -- dev staging\n  npm run promote -- staging prod                      # asks for approval on a terminal\n  npm run promote -- staging prod --approve --approver alice@example.com   # CI\n  npm run promote -- staging prod --break-glass --reason \"INC-42 hotfix\"   # outside prod's change windows\n  npm run promote -- staging prod --approve-budget --reason \"launch week\"  # above the budget\n  npm run promote -- hold prod --reason \"investigating INC-42\"\n  npm run promote -- release-hold prod\n\nExit codes: 0 promoted (or nothing to promote), 5 refused by a gate, 1 failed (rolled back), 4 locked")
    .action(async (source: string, target: string, flags: PromoteFlags) => {
      const approvalProblem = approvalFlagsProblem(flags, Boolean(process.stdin.isTTY) && process.env.CI !== "true");
      if (approvalProblem) throw new PreflightError(approvalProblem);
      if (flags.approveBudget && !flags.reason?.trim()) throw new PreflightError('--approve-budget needs --reason "<why the budget may be exceeded>"; it is recorded in the change log');
      const breakGlass = breakGlassRequest(flags);
      const workspace = openWorkspace(flags);
      const signal = interrupts.stopping("letting the promotion's running stacks stop cleanly");
      const common = {
        signal,
        source,
        layers: flags.layers,
        parallel: flags.parallel,
        policyPacks: [workspace.policyPack, ...(flags.policyPack ?? [])],
        verifyTimeoutMs: flags.verifyTimeout * 1000,
        ...(flags.approveBudget ? { budgetApproval: flags.reason!.trim() } : {}),
        ...(breakGlass ? { breakGlass } : {}),
        waitSoak: Boolean(flags.waitSoak),
      };
      const approveFor = (member: string) => announcingApproval(workspace, source, member, approvalSource(flags, member), Boolean(flags.approve));
      const fleet = loadEnvironment(target, { dir: workspace.environmentsDir });
      if (isFleet(fleet)) {
        await runFleetPromotion(workspace, fleet, { ...common, approveFor, resume: flags.resume }, Boolean(flags.json));
        return;
      }
      if (flags.resume) throw new PreflightError(`--resume continues a promotion into a fleet; ${target} is not a fleet (a promotion into one environment settles an unfinished one by itself)`);
      const outcome = await promote(workspace, {
        ...common,
        target,
        approve: approveFor(target),
        reporter: terminalReporter({ json: Boolean(flags.json), summaries: true }),
      });
      await afterPromotion(workspace, outcome.report, outcome.changelogFile);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...outcome.report, changelog: outcome.changelogFile }, null, 2)}\n`);
      else process.stdout.write(`promotion ${outcome.report.source} -> ${outcome.report.target}: ${outcome.report.result}${recoveredNote(outcome.report)}\n`);
      const result = outcome.report.result;
      process.exitCode = result === "promoted" || result === "nothing-to-promote" ? EXIT.ok : result === "refused" ? EXIT.refused : EXIT.failed;
    });
}
