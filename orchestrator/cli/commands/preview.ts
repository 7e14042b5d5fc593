import type { Command } from "commander";
import type { CommandContext } from "./context";
import { addOperationCommand, withRefreshAndPolicyOptions } from "./operation-command";

export function addPreviewCommand(program: Command, context: CommandContext): void {
  addOperationCommand(program, context, {
    operation: "preview",
    description: "show what up would change, with policies enforced",
    examples: ["  npm run preview -- --env staging", "  npm run preview -- --env prod --layers mesh"],
    options: withRefreshAndPolicyOptions,
  });
}
