import type { Command } from "commander";
import type { CommandContext } from "./context";
import { addOperationCommand } from "./operation-command";

export function addDestroyCommand(program: Command, context: CommandContext): void {
  addOperationCommand(program, context, {
    operation: "destroy",
    description: "remove an environment's stacks, dependents first",
    examples: [
      "  npm run destroy -- --env local",
      "  npm run destroy -- --env dev --layers observability --with-deps",
      "  npm run destroy -- --env local --purge-crds          # asks before deleting the CRDs the charts left",
      "  npm run destroy -- --env dev --purge-crds --yes      # CI",
    ],
    options: (command) =>
      command
        .option("--purge-crds", "after destroying every stack, delete the CRDs the platform's charts left, with all their custom resources (asks first)")
        .option("--yes", "confirm --purge-crds without asking (needed where no terminal can ask, e.g. CI)"),
  });
}
