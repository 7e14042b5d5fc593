import type { Command } from "commander";
import { environmentStatus } from "../../status/status";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import { renderStatus } from "../output/inspect";
import type { CommandContext } from "./context";

export function addStatusCommand(program: Command, _context: CommandContext): void {
  const command = withEnvironmentOption(program.command("status").description("each stack's last recorded result in an environment, and who holds its lock"), { required: true }).option("--json", "as JSON");
  withWorkspaceOptions(command).action(async (flags: { env: string; json?: boolean } & WorkspaceOptions) => {
    const status = await environmentStatus(openWorkspace(flags), flags.env);
    process.stdout.write(`${flags.json ? JSON.stringify(status, null, 2) : renderStatus(status)}\n`);
  });
}
