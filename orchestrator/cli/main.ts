import { Command, CommanderError } from "commander";
import { ConfigError } from "../../environments/config-error";
import { LockedError } from "../locks/environment-lock";
import { PlanError } from "../plan/plan";
import { PreflightError } from "../model/preflight-error";
import { endProcessesOf, usePrivateTempDir } from "../run/private-temp";
import { interruptHandling, type Interrupts } from "./options/interrupts";
import { EXIT, EXIT_CODES_HELP } from "./output/exit-codes";
import { flagErrorMessage } from "./options/flags";
import { addUpCommand } from "./commands/up";
import { addPreviewCommand } from "./commands/preview";
import { addRefreshCommand } from "./commands/refresh";
import { addDestroyCommand } from "./commands/destroy";
import { addGraphCommand } from "./commands/graph";
import { addDriftCommand } from "./commands/drift";
import { addPromoteCommand } from "./commands/promote";
import { addStatusCommand } from "./commands/status";
import { addHistoryCommand } from "./commands/history";
import { addLockCommand } from "./commands/lock";
import { addReportCommand } from "./commands/report";
import { addMetricsCommand } from "./commands/metrics";
import { addSbomCommand } from "./commands/sbom";

export function buildProgram(interrupts: Interrupts = { stopping: () => new AbortController().signal }): Command {
  const program = new Command("platform")
    .description("Deploy and operate the seven-layer Kubernetes platform, one Pulumi stack per layer and environment.")
    .addHelpText("after", EXIT_CODES_HELP)
    // Set before the commands are added, so each inherits them: main() reports flag errors itself, with exit 3.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  const context = { interrupts };
  // In the order --help lists them.
  for (const addCommand of [
    addUpCommand,
    addPreviewCommand,
    addRefreshCommand,
    addDestroyCommand,
    addGraphCommand,
    addDriftCommand,
    addPromoteCommand,
    addStatusCommand,
    addHistoryCommand,
    addLockCommand,
    addReportCommand,
    addMetricsCommand,
    addSbomCommand,
  ]) {
    addCommand(program, context);
  }
  return program;
}

/** Maps what went wrong to an exit code and a message that says what to fix. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof PlanError || error instanceof PreflightError) return EXIT.invalid;
  if (error instanceof LockedError) return EXIT.locked;
  return EXIT.failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  const temp = usePrivateTempDir();
  const program = buildProgram(interruptHandling({ endEngines: () => endProcessesOf(temp.dir) }));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      process.stderr.write(`${flagErrorMessage(program, argv, error)}\n`);
      return EXIT.invalid;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return exitCodeFor(error);
  } finally {
    temp.remove();
  }
}

if (require.main === module) {
  // Commands may be given as the first argument by npm scripts (`npm run up -- --env dev` runs `main.ts up --env dev`).
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
