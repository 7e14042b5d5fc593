import * as fs from "node:fs";
import { Option, type Command } from "commander";
import { loadEnvironment } from "../../../environments/load";
import type { Operation } from "../../model/stack";
import { renderGithubActions } from "../../plan/github-actions";
import { planRun } from "../../plan/plan";
import { renderPlan, type GraphFormat } from "../../plan/render";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withLayersOption, withWorkspaceOptions } from "../options/command-options";
import type { CommandContext } from "./context";
import { PreflightError } from "../../model/preflight-error";

interface GraphFlags extends WorkspaceOptions {
  readonly env: string;
  readonly format: GraphFormat | "github-actions";
  readonly operation: Operation;
  readonly layers?: string[];
  readonly withDeps?: boolean;
  readonly json?: boolean;
  readonly changed?: boolean;
  readonly githubOutput?: string;
}

export function addGraphCommand(program: Command, _context: CommandContext): void {
  const command = withEnvironmentOption(
    program
      .command("graph")
      .description("print the stack plan: waves and dependencies as text, Mermaid, DOT, or a GitHub Actions workflow; or the stacks an up would run"),
    { required: true },
  )
    .addOption(new Option("-f, --format <format>", "output format").choices(["text", "mermaid", "dot", "github-actions"]).default("text"))
    .addOption(new Option("-o, --operation <op>", "plan for this operation").choices(["up", "preview", "refresh", "destroy"]).default("up"));
  withLayersOption(command)
    .option("--with-deps", "with --layers: also what they need")
    .option("--json", "the plan as JSON")
    .option("--changed", "list the stacks whose fingerprints changed since their last successful up, and their dependents (reads the backend)")
    .option("--github-output <file>", "with --changed: append changed=<json list> to this file ($GITHUB_OUTPUT)");
  withWorkspaceOptions(command)
    .addHelpText(
      "after",
      "\nExamples:\n  npm run graph -- --env dev\n  npm run graph -- --env prod --format mermaid\n  npm run graph -- --env dev --operation destroy --format dot | dot -Tsvg > plan.svg\n  npm run graph -- --env prod --format github-actions > .github/workflows/deploy-prod.yml\n  npm run graph -- --env dev --changed --json",
    )
    .action(printGraph);
}

/** The plan as text, Mermaid, DOT, JSON or a GitHub Actions workflow; with --changed, the stacks an up would run. A fleet's: each member's, in ring order. */
async function printGraph(flags: GraphFlags): Promise<void> {
  const fleet = loadEnvironment(flags.env).fleet;
  if (!fleet) return printEnvironmentGraph(flags);
  if (flags.format === "github-actions" || flags.changed) {
    throw new PreflightError(`${flags.env} is a fleet: ${flags.format === "github-actions" ? "--format github-actions" : "--changed"} works on one member at a time; use --env with one of ${fleet.members.join(", ")}`);
  }
  const documents = await Promise.all(fleet.members.map((member) => graphOf({ ...flags, env: member })));
  const ringOf = (member: string) => fleet.rings.findIndex((ring) => ring.includes(member));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ fleet: flags.env, rings: fleet.rings, members: documents.map((text) => JSON.parse(text)) }, null, 2)}\n`);
  } else {
    process.stdout.write(fleet.members.map((member, index) => `# fleet ${flags.env}, ring ${ringOf(member)}: ${member}\n${documents[index]}`).join("\n"));
  }
}

async function printEnvironmentGraph(flags: GraphFlags): Promise<void> {
  process.stdout.write(await graphOf(flags));
}

async function graphOf(flags: GraphFlags): Promise<string> {
  const env = loadEnvironment(flags.env);
  const plan = planRun(env, { operation: flags.operation, layers: flags.layers, withDependencies: flags.withDeps });
  if (flags.changed) {
    // Only --changed reaches the run session and the chart reader; the plan alone loads neither.
    const { stacksToRun } = require("../../status/changed-stacks") as typeof import("../../status/changed-stacks");
    const { changed } = await stacksToRun(openWorkspace(flags), { env: flags.env, operation: flags.operation, layers: flags.layers, withDeps: flags.withDeps });
    if (flags.githubOutput) fs.appendFileSync(flags.githubOutput, `changed=${JSON.stringify(changed)}\n`);
    return flags.json ? `${JSON.stringify({ env: env.name, changed }, null, 2)}\n` : `changed stacks of ${env.name}: ${changed.join(", ") || "none"}\n`;
  }
  if (flags.format === "github-actions") return renderGithubActions(plan, env);
  if (flags.json) {
    const edges = Object.fromEntries(plan.graph.nodes.map((name) => [name, plan.graph.dependencies.get(name)]));
    return `${JSON.stringify({ env: plan.env, operation: plan.operation, order: plan.stacks.map((s) => s.name), dependencies: edges, outside: plan.outside }, null, 2)}\n`;
  }
  return `${renderPlan(plan, flags.format)}\n`;
}
