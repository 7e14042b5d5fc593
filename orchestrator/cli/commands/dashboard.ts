import * as path from "node:path";
import { InvalidArgumentError, type Command } from "commander";
import { checkoutJournal } from "../../history/journal";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withWorkspaceOptions } from "../options/command-options";
import type { CommandContext } from "./context";

interface DashboardFlags extends WorkspaceOptions {
  env: string[];
  port: number;
  host: string;
}

const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("expected a port number from 0 to 65535 (0 picks a free one)");
  return n;
};

/** `dashboard`: a read-only live web page over the history, progress journals and locks this checkout uses. */
export function addDashboardCommand(program: Command, _context: CommandContext): void {
  withWorkspaceOptions(program.command("dashboard"))
    .description("serve a live, read-only dashboard: environments × layers, runs as they happen, promotions, trends")
    .option("--env <env...>", "only these environments (default: all)", [])
    .option("--port <n>", "port to listen on", port, 8077)
    .option("--host <addr>", "address to bind; any but 127.0.0.1 needs PLATFORM_DASHBOARD_TOKEN", "127.0.0.1")
    .addHelpText("after", "\nExamples:\n  npm run dashboard\n  PLATFORM_DASHBOARD_TOKEN=... npm run dashboard -- --host 0.0.0.0 --port 8080 --env staging prod\n\nExit codes: 0 stopped, 3 bad flags or a non-loopback address without a token, 1 error")
    .action(async (flags: DashboardFlags) => {
      // Loaded here: the server and chart libraries are large, and other commands never need them.
      const { DashboardData } = require("../../report/dashboard/dashboard-sources") as typeof import("../../report/dashboard/dashboard-sources");
      const { serveDashboard } = require("../../report/dashboard/server") as typeof import("../../report/dashboard/server");
      const workspace = openWorkspace(flags);
      const data = new DashboardData({ progress: workspace.progress, history: workspace.history, journal: checkoutJournal(workspace.dataDir), locks: workspace.locks, only: flags.env });
      const token = process.env.PLATFORM_DASHBOARD_TOKEN;
      const running = await serveDashboard(
        data,
        {
          host: flags.host,
          port: flags.port,
          ...(token ? { token } : {}),
          pageDir: path.join(workspace.root, "orchestrator", "report", "dashboard", "page"),
          pageLibrary: path.join(workspace.root, "node_modules", "htm", "preact", "standalone.module.js"),
        },
        (error) => process.stderr.write(`warning: ${error.message}\n`),
      );
      process.stdout.write(`dashboard: ${running.url}\n`);
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await running.close();
    });
}
