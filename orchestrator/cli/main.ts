import { Command, CommanderError } from "commander";
import { checkoutRoot, runsCompiled } from "../../environments/checkout-root";
import { ConfigError } from "../../environments/config-error";
import { LockedError } from "../locks/environment-lock";
import { PlanError } from "../plan/plan";
import { PreflightError } from "../model/preflight-error";
import { RefusedError } from "../model/refused-error";
import { endProcessesOf, usePrivateTempDir } from "../run/private-temp";
import { staleBuildProblem } from "../workspace/build-stamp";
import { interruptHandling, type Interrupts } from "./options/interrupts";
import { EXIT, EXIT_CODES_HELP } from "./output/exit-codes";
import { flagErrorMessage } from "./options/flags";
import type { CommandContext } from "./commands/context";

type AddCommand = (program: Command, context: CommandContext) => void;

// In the order --help lists them. Each module is loaded only when its command runs (or for --help
// and unknown commands, all of them): a command's imports are paid by that command alone.
const COMMANDS: readonly { readonly name: string; readonly load: () => AddCommand }[] = [
  { name: "up", load: () => (require("./commands/up") as typeof import("./commands/up")).addUpCommand },
  { name: "preview", load: () => (require("./commands/preview") as typeof import("./commands/preview")).addPreviewCommand },
  { name: "refresh", load: () => (require("./commands/refresh") as typeof import("./commands/refresh")).addRefreshCommand },
  { name: "destroy", load: () => (require("./commands/destroy") as typeof import("./commands/destroy")).addDestroyCommand },
  { name: "graph", load: () => (require("./commands/graph") as typeof import("./commands/graph")).addGraphCommand },
  { name: "drift", load: () => (require("./commands/drift") as typeof import("./commands/drift")).addDriftCommand },
  { name: "promote", load: () => (require("./commands/promote") as typeof import("./commands/promote")).addPromoteCommand },
  { name: "status", load: () => (require("./commands/status") as typeof import("./commands/status")).addStatusCommand },
  { name: "history", load: () => (require("./commands/history") as typeof import("./commands/history")).addHistoryCommand },
  { name: "lock", load: () => (require("./commands/lock") as typeof import("./commands/lock")).addLockCommand },
  { name: "report", load: () => (require("./commands/report") as typeof import("./commands/report")).addReportCommand },
  { name: "dashboard", load: () => (require("./commands/dashboard") as typeof import("./commands/dashboard")).addDashboardCommand },
  { name: "metrics", load: () => (require("./commands/metrics") as typeof import("./commands/metrics")).addMetricsCommand },
  { name: "cost", load: () => (require("./commands/cost") as typeof import("./commands/cost")).addCostCommand },
  { name: "sbom", load: () => (require("./commands/sbom") as typeof import("./commands/sbom")).addSbomCommand },
];

/** The commands to register for this command line: the one it names, or every one (--help, a typo to suggest a fix for). */
export function commandsFor(argv: readonly string[]): readonly string[] {
  const named = COMMANDS.find((command) => command.name === argv.find((arg) => !arg.startsWith("-")));
  return named ? [named.name] : COMMANDS.map((command) => command.name);
}

export function buildProgram(interrupts: Interrupts = { stopping: () => new AbortController().signal }, argv: readonly string[] = []): Command {
  const program = new Command("platform")
    .description("Deploy and operate the seven-layer Kubernetes platform, one Pulumi stack per layer and environment.")
    .addHelpText("after", EXIT_CODES_HELP)
    // Set before the commands are added, so each inherits them: main() reports flag errors itself, with exit 3.
    .exitOverride()
    // Hands each command its whole command line, so `promote hold --reason` reaches the subcommand.
    .enablePositionalOptions()
    .configureOutput({ outputError: () => {} });
  const context = { interrupts };
  const wanted = new Set(commandsFor(argv));
  for (const command of COMMANDS) if (wanted.has(command.name)) command.load()(program, context);
  return program;
}

/** Maps what went wrong to an exit code and a message that says what to fix. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof PlanError || error instanceof PreflightError) return EXIT.invalid;
  if (error instanceof LockedError) return EXIT.locked;
  if (error instanceof RefusedError) return EXIT.refused;
  return EXIT.failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  // The compiled CLI never runs a build older than its source: nothing would say the code is old.
  const stale = runsCompiled() ? staleBuildProblem(checkoutRoot()) : undefined;
  if (stale) {
    process.stderr.write(`error: ${stale}\n`);
    return EXIT.invalid;
  }
  const temp = usePrivateTempDir();
  const program = buildProgram(interruptHandling({ endEngines: () => endProcessesOf(temp.dir) }), argv);
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
