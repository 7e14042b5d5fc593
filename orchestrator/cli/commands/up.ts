import type { Command } from "commander";
import type { CommandContext } from "./context";
import { addOperationCommand, withRefreshAndPolicyOptions } from "./operation-command";

export function addUpCommand(program: Command, context: CommandContext): void {
  addOperationCommand(program, context, {
    operation: "up",
    description: "deploy an environment's stacks in dependency order, in parallel",
    examples: ["  npm run up -- --env local", '  npm run up -- --env prod --approve-budget --reason "launch week"', "  npm run up -- --env dev --layers ingress --with-deps --parallel 2", "  npm run up -- --env dev --json > run.json"],
    options: (command) =>
      withRefreshAndPolicyOptions(
        command
          .option("--force", "run stacks even when their fingerprint is unchanged")
          .option("--approve-budget", "deploy though the estimate is above the environment's monthly budget (needs --reason, recorded)"),
      ),
  });
}
