import type { Command } from "commander";
import type { Hold } from "../../model/hold";
import { PreflightError } from "../../model/preflight-error";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { afterHold } from "../output/aftermath";
import { withWorkspaceOptions } from "../options/command-options";
import { environmentName } from "../options/flags";

interface HoldFlags extends WorkspaceOptions {
  reason?: string;
  json?: boolean;
}

const print = (flags: HoldFlags, document: object, line: string) => process.stdout.write(flags.json ? `${JSON.stringify(document, null, 2)}\n` : `${line}\n`);

/** `promote hold <env> --reason` and `promote release-hold <env>`: a person stops promotions into an environment, and lets them go on. */
export function addHoldCommands(promote: Command): void {
  withWorkspaceOptions(
    promote
      .command("hold")
      .description("hold an environment: promotions into it are refused (exit 5) until release-hold")
      .argument("<env>", "environment to hold", environmentName)
      .requiredOption("--reason <text>", "why, recorded with the hold and notified")
      .option("--json", "the hold as JSON on stdout"),
  ).action(async (env: string, flags: HoldFlags) => {
    if (!flags.reason?.trim()) throw new PreflightError('promote hold needs --reason "<why>": it is shown to whoever tries to promote; nothing was held');
    const workspace = openWorkspace(flags);
    const hold: Hold = { env, since: new Date().toISOString(), reason: flags.reason.trim(), placedBy: "manual" };
    await workspace.holds.place(hold);
    await afterHold(workspace, hold);
    print(flags, hold, `${env} is held: ${hold.reason}; release with npm run promote -- release-hold ${env}`);
  });
  withWorkspaceOptions(
    promote
      .command("release-hold")
      .description("release an environment's hold, so promotions into it run again")
      .argument("<env>", "environment to release", environmentName)
      .option("--json", "the released hold as JSON on stdout"),
  ).action(async (env: string, flags: HoldFlags) => {
    const released = await openWorkspace(flags).holds.release(env);
    print(flags, { env, released: released ?? null }, released ? `${env} released (it was held since ${released.since}: ${released.reason})` : `${env} was not held`);
  });
}
