import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { costTrend } from "../../history/cost-trend";
import { checkoutJournal } from "../../history/journal";
import { readReportInputs } from "../../report/inputs";
import { buildReportModel } from "../../report/model";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import type { CommandContext } from "./context";

interface ReportFlags extends WorkspaceOptions {
  env?: string;
  out: string;
  screenshot?: boolean;
  json?: boolean;
}

/** `report`: one self-contained HTML page of what the orchestrator did, from history alone. */
export function addReportCommand(program: Command, _context: CommandContext): void {
  const command = withWorkspaceOptions(program.command("report")).description(
    "write a self-contained HTML report: stacks, dependency graph, last run timeline, history charts, drift and promotions",
  );
  withEnvironmentOption(command, { required: false, description: "only this environment (default: every environment with history)", anyName: true })
    .option("-o, --out <file>", "where to write the page", "report.html")
    .option("--screenshot", "also write a PNG of the page next to it (needs chromium)")
    .option("--json", "print what was written as JSON")
    .addHelpText("after", "\nExamples:\n  npm run report\n  npm run report -- --env prod --out prod.html --screenshot\n\nExit codes: 0 written, 3 unknown environment, 1 error")
    .action(async (flags: ReportFlags) => {
      // Loaded here: the page's layout and chart libraries are large, and other commands never need them.
      const { buildReportHtml } = require("../../report/build") as typeof import("../../report/build");
      const { screenshotPage } = require("../../report/screenshot") as typeof import("../../report/screenshot");
      const workspace = openWorkspace(flags);
      const sources = { history: workspace.history, journal: checkoutJournal(workspace.dataDir), locks: workspace.locks, costs: costTrend(workspace.dataDir) };
      const model = buildReportModel(await readReportInputs(sources, flags.env), flags.env ? `environment ${flags.env}` : "all environments");
      const out = path.resolve(flags.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, await buildReportHtml(model));
      let screenshot: string | undefined;
      if (flags.screenshot) {
        screenshot = out.replace(/\.html?$/i, "") + ".png";
        fs.writeFileSync(screenshot, (await screenshotPage(out)).png);
      }
      const written = { report: out, ...(screenshot ? { screenshot } : {}), runs: model.history.runs, environments: model.environments.map((e) => e.env) };
      process.stdout.write(flags.json ? `${JSON.stringify(written, null, 2)}\n` : `report: ${out}${screenshot ? `\nscreenshot: ${screenshot}` : ""}\n`);
    });
}
