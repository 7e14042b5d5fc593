import type { Command } from "commander";
import { historyView } from "../../status/status";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import { wholeNumber } from "../options/flags";
import { renderHistory } from "../output/inspect";
import type { CommandContext } from "./context";

export function addHistoryCommand(program: Command, _context: CommandContext): void {
  const command = withEnvironmentOption(program.command("history").description("recent runs, success rate, mean and p95 durations per stack, most frequent failures"), {
    required: false,
    description: "only this environment",
  })
    .option("-n, --limit <n>", "runs to list", wholeNumber(1, 20), 20)
    .option("--json", "as JSON");
  withWorkspaceOptions(command).action(async (flags: { env?: string; limit: number; json?: boolean } & WorkspaceOptions) => {
    const view = await historyView(openWorkspace(flags), flags.env, flags.limit);
    process.stdout.write(`${flags.json ? JSON.stringify(view, null, 2) : renderHistory(view)}\n`);
  });
}
