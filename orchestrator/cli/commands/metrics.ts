import { costTrend } from "../../history/cost-trend";
import { InvalidArgumentError, type Command } from "commander";
import { checkoutJournal } from "../../history/journal";
import { lockHoldersOf } from "../../workspace/lock-holders";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import type { CommandContext } from "./context";
import { environmentsOf } from "../../../environments/load";

interface MetricsFlags extends WorkspaceOptions {
  env?: string;
  pushgateway?: string;
}

const httpUrl = (value: string) => {
  if (!/^https?:\/\/[^/\s]+/.test(value)) throw new InvalidArgumentError("expected an http(s) URL such as http://pushgateway:9091");
  return value;
};

/** `metrics`: the run history as Prometheus text exposition, printed or pushed to a Pushgateway. */
export function addMetricsCommand(program: Command, _context: CommandContext): void {
  const command = withWorkspaceOptions(program.command("metrics")).description(
    "print the orchestrator's metrics (runs, durations, last success, drift, promotions, time to recover) in Prometheus text format",
  );
  withEnvironmentOption(command, { required: false, description: "only this environment", anyName: true })
    .option("--pushgateway <url>", "push them to this Prometheus Pushgateway instead of printing (job platform_orchestrator, grouped by env)", httpUrl)
    .addHelpText("after", "\nExamples:\n  npm run metrics -- --env prod > metrics.prom\n  npm run metrics -- --env prod --pushgateway http://pushgateway.monitoring:9091\n\nExit codes: 0 printed or pushed, 1 push failed, 3 bad flags")
    .action(async (flags: MetricsFlags) => {
      const workspace = openWorkspace(flags);
      const journal = checkoutJournal(workspace.dataDir);
      // A fleet's metrics are its members', each labelled with its own env.
      const envs = flags.env ? environmentsOf(flags.env, { dir: workspace.environmentsDir }) : undefined;
      const mine = <T>(items: T[], envOf: (item: T) => string) => (envs ? items.filter((item) => envs.includes(envOf(item))) : items);
      const { metricsRegistry } = require("../../metrics/registry") as typeof import("../../metrics/registry");
      const { pushMetrics } = require("../../metrics/push") as typeof import("../../metrics/push");
      const runs = envs?.length === 1 ? await workspace.history.read({ env: envs[0]! }) : mine(await workspace.history.read({}), (run) => run.env);
      const starts = envs?.length === 1 ? await workspace.history.starts({ env: envs[0]! }) : mine(await workspace.history.starts({}), (start) => start.env);
      const registry = metricsRegistry({
        runs,
        drift: mine(journal.drift.readAll(), (d) => d.env),
        promotions: mine(journal.promotions.readAll(), (p) => p.target),
        deliveries: mine(journal.deliveries.readAll(), (d) => d.env),
        starts,
        lockHolders: await lockHoldersOf(workspace.locks, starts, runs),
        costs: mine(costTrend(workspace.dataDir).readAll(), (c) => c.env),
      });
      if (flags.pushgateway) process.stderr.write(`pushed metrics to ${await pushMetrics(registry, flags.pushgateway, flags.env)}\n`);
      else process.stdout.write(await registry.metrics());
    });
}
