import type { Command } from "commander";
import type { CommandContext } from "./context";
import { addOperationCommand } from "./operation-command";

export function addRefreshCommand(program: Command, context: CommandContext): void {
  addOperationCommand(program, context, {
    operation: "refresh",
    description: "read real state from the cluster/cloud into the stacks' state",
    examples: ["  npm run refresh -- --env dev"],
  });
}
