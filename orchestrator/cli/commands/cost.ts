import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadEnvironment } from "../../../environments/load";
import { estimateOf, priceListFor } from "../../session/cost-estimate";
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
      const workspace = openWorkspace();
      const prices = priceListFor(workspace, env);
      const folder = env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : (flags.charts ?? process.env.PLATFORM_CHART_SOURCE ?? path.resolve(workspace.root, "..", "shared", "charts"));
      const estimate = await estimateOf(workspace, env, prices, fs.existsSync(folder) ? folder : undefined);
      if (flags.json) process.stdout.write(`${JSON.stringify({ kind: "estimate, not a bill", ...estimate, budget: env.budget ?? null }, null, 2)}\n`);
      else process.stdout.write(`${formatCostEstimate(estimate, env.budget)}\n`);
    });
}
