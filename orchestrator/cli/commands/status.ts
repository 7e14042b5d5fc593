import type { Command } from "commander";
import { loadEnvironment } from "../../../environments/load";
import { environmentStatus } from "../../status/status";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import { renderStatus } from "../output/inspect";
import type { CommandContext } from "./context";

export function addStatusCommand(program: Command, _context: CommandContext): void {
  const command = withEnvironmentOption(program.command("status").description("each stack's last recorded result in an environment (each member's, for a fleet), and who holds its lock"), {
    required: true,
  }).option("--json", "as JSON");
  withWorkspaceOptions(command).action(async (flags: { env: string; json?: boolean } & WorkspaceOptions) => {
    const workspace = openWorkspace(flags);
    const fleet = loadEnvironment(flags.env, { dir: workspace.environmentsDir }).fleet;
    if (!fleet) {
      const status = await environmentStatus(workspace, flags.env);
      process.stdout.write(`${flags.json ? JSON.stringify(status, null, 2) : renderStatus(status)}\n`);
      return;
    }
    const members = await Promise.all(fleet.members.map((member) => environmentStatus(workspace, member)));
    if (flags.json) {
      process.stdout.write(`${JSON.stringify({ fleet: flags.env, rings: fleet.rings, members }, null, 2)}\n`);
      return;
    }
    const ringOf = (member: string) => fleet.rings.findIndex((ring) => ring.includes(member));
    process.stdout.write(`${members.map((status) => `fleet ${flags.env}, ring ${ringOf(status.env)}: ${renderStatus(status)}`).join("\n\n")}\n`);
  });
}
