import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { estimateCost } from "../../../environments/cost";
import { loadEnvironment } from "../../../environments/load";
import { checkPricesCover, loadPriceList } from "../../../environments/pricing";
import { renderedCharts } from "../../session/chart-footprints";
import { openWorkspace } from "../../workspace/workspace";
import { withEnvironmentOption } from "../options/command-options";
import { formatCostEstimate } from "../output/cost";
import type { CommandContext } from "./context";

interface CostFlags {
  env: string;
  charts?: string;
  json?: boolean;
}

/** `cost`: what an environment would cost a month at list prices, and where it could cost less. */
export function addCostCommand(program: Command, _context: CommandContext): void {
  const command = program.command("cost").description("estimate what an environment costs a month at list prices: infrastructure, each layer and component by its requests, utilization, recommendations");
  withEnvironmentOption(command, { required: true, anyName: true })
    .option("--charts <dir>", "folder of chart archives to render when the environment has no mirror (default: $PLATFORM_CHART_SOURCE or ../shared/charts)")
    .option("--json", "print the estimate as JSON")
    .addHelpText("after", "\nPrices: pricing/<target>.yaml, with pricing/<target>.override.yaml over it for negotiated rates.\n\nExamples:\n  npm run cost -- --env prod\n  npm run cost -- --env staging --json\n\nExit codes: 0 estimated, 3 bad input (environment, price list), 1 error")
    .action(async (flags: CostFlags) => {
      const env = loadEnvironment(flags.env);
      const prices = loadPriceList(env.target);
      checkPricesCover(env, prices);
      const workspace = openWorkspace();
      const folder = env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : (flags.charts ?? process.env.PLATFORM_CHART_SOURCE ?? path.resolve(workspace.root, "..", "shared", "charts"));
      const charts = fs.existsSync(folder) ? await renderedCharts(env, folder, path.join(workspace.dataDir, "cache")) : undefined;
      const estimate = estimateCost({
        env,
        prices,
        ...(charts ? { footprints: new Map([...charts].map(([id, c]) => [id, c.requests])), billables: new Map([...charts].map(([id, c]) => [id, c.billables])) } : {}),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...estimate, kind: "estimate", budget: env.budget ?? null }, null, 2)}\n`);
      else process.stdout.write(`${formatCostEstimate(estimate, env.budget)}\n`);
    });
}
