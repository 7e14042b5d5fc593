import * as fs from "node:fs";
import { Option, type Command } from "commander";
import { driftRun } from "../../drift/drift";
import { verdict, type DriftReport } from "../../model/drift-report";
import { renderDriftMarkdown, renderDriftTable } from "../../drift/render";
import { openWorkspace, type Workspace, type WorkspaceOptions } from "../../workspace/workspace";
import { afterDrift } from "../output/aftermath";
import { withEnvironmentOption, withLayersOption, withParallelOption, withWorkspaceOptions } from "../options/command-options";
import { EXIT, exitCodeOfRun } from "../output/exit-codes";
import { terminalReporter } from "../output/reporter";
import type { CommandContext } from "./context";
import { loadEnvironment } from "../../../environments/load";

interface DriftOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  readonly json?: boolean;
  readonly markdown?: string;
  readonly refreshAll?: boolean;
  readonly remediate?: "refresh" | "up";
}

export function addDriftCommand(program: Command, { interrupts }: CommandContext): void {
  const command = withEnvironmentOption(
    program.command("drift").description("preview-based drift detection: reality vs state (refresh preview) and code vs state (preview), per resource and property"),
    { required: true },
  );
  withParallelOption(withLayersOption(command), "stacks checked at once")
    .option("--json", "the report as JSON on stdout")
    .option("--markdown <file>", "also write the report as Markdown (appended to $GITHUB_STEP_SUMMARY when set)")
    .option("--refresh-all", "run the refresh preview for every stack (by default a stack whose live objects match its state field for field is not refreshed)")
    .addOption(new Option("--remediate <how>", "for drifted stacks only: refresh = accept reality into state, up = put reality back to the code").choices(["refresh", "up"]));
  withWorkspaceOptions(command)
    .addHelpText("after", "\nExamples:\n  npm run drift -- --env prod\n  npm run drift -- --env dev --markdown drift.md --json > drift.json\n  npm run drift -- --env dev --remediate up\n\nExit codes: 0 clean, 2 drift, 1 error, 4 locked (drift holds the environment lock: no up runs while it reads state)")
    .action(async (flags: DriftOptions & WorkspaceOptions) => {
      const signal = interrupts.stopping("stopping the drift check; nothing is changed");
      const workspace = openWorkspace(flags);
      const fleet = loadEnvironment(flags.env, { dir: workspace.environmentsDir }).fleet;
      if (flags.markdown) fs.writeFileSync(flags.markdown, "");
      if (!fleet) {
        const { code, document } = await checkDrift(workspace, flags, signal);
        if (flags.json) process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
        process.exitCode = signal.aborted ? EXIT.interrupted : code;
        return;
      }
      // One member at a time: each check holds that member's lock.
      const members: { env: string; code: number; document: Record<string, unknown> }[] = [];
      for (const member of fleet.members) {
        if (signal.aborted) break;
        if (!flags.json) process.stdout.write(`fleet ${flags.env}, ring ${fleet.rings.findIndex((ring) => ring.includes(member))}: ${member}\n`);
        members.push({ env: member, ...(await checkDrift(workspace, { ...flags, env: member }, signal)) });
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ fleet: flags.env, rings: fleet.rings, members: members.map(({ env, document }) => ({ env, ...document })) }, null, 2)}\n`);
      const codes = members.map((member) => member.code);
      process.exitCode = signal.aborted ? EXIT.interrupted : codes.find((code) => code !== EXIT.ok && code !== EXIT.drift) ?? (codes.includes(EXIT.drift) ? EXIT.drift : EXIT.ok);
    });
}

/** Detects drift, reports it three ways, optionally remediates the drifted stacks; returns the exit code and the --json document. */
async function checkDrift(workspace: Workspace, options: DriftOptions, signal?: AbortSignal): Promise<{ code: number; document: Record<string, unknown> }> {
  const reporter = terminalReporter({ json: Boolean(options.json), summaries: true });
  const { check, remediation } = await driftRun(workspace, options, reporter, signal, (checked) => publish(checked.report, options, (line) => reporter.say(line)));
  if (remediation) reporter.say(renderDriftTable(remediation.after));
  await afterDrift(workspace, check.report, remediation?.after);
  const exitCode = !remediation ? exitFor(check.report) : exitCodeOfRun(remediation.record) !== EXIT.ok ? exitCodeOfRun(remediation.record) : exitFor(remediation.after);
  const document = { verdict: verdict(remediation?.after ?? check.report), report: check.report, remediation: remediation?.record, after: remediation?.after };
  return { code: exitCode, document };
}

function publish(report: DriftReport, options: DriftOptions, say: (line: string) => void): void {
  if (!options.json) say(renderDriftTable(report));
  const markdown = renderDriftMarkdown(report);
  if (options.markdown) fs.appendFileSync(options.markdown, `${markdown}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

function exitFor(report: DriftReport): number {
  const result = verdict(report);
  return result === "clean" ? EXIT.ok : result === "drift" ? EXIT.drift : EXIT.failed;
}
