import * as fs from "node:fs";
import { loadEnvironment } from "../../environments/load";
import type { Operation, StackId } from "../model/stack";
import { interruptedStacks, lastUps } from "../history/stats";
import { renderGithubActions } from "../plan/github-actions";
import { planRun } from "../plan/plan";
import { renderPlan, type GraphFormat } from "../plan/render";
import { changedStacks } from "../run/changed-stacks";
import { fingerprintSources } from "../run/fingerprint-inputs";
import type { Workspace } from "../workspace/workspace";

export interface GraphFlags {
  readonly env: string;
  readonly format: GraphFormat | "github-actions";
  readonly operation: Operation;
  readonly layers?: string[];
  readonly withDeps?: boolean;
  readonly json?: boolean;
  readonly changed?: boolean;
  readonly githubOutput?: string;
}

/** `graph`: the plan as text, Mermaid, DOT, JSON or a GitHub Actions workflow; with --changed, the stacks an up would run. */
export async function graphCommand(flags: GraphFlags, workspace: () => Workspace): Promise<void> {
  const env = loadEnvironment(flags.env);
  const plan = planRun(env, { operation: flags.operation, layers: flags.layers, withDependencies: flags.withDeps });
  if (flags.changed) {
    const opened = workspace();
    const history = await opened.history.read({ env: env.name });
    const facts = {
      ...fingerprintSources(opened.root, env),
      lastUps: lastUps(history),
      markers: await opened.records.stateMarkers(),
      interrupted: new Set(interruptedStacks(await opened.history.starts({ env: env.name }), history).keys()),
      locked: (stack: StackId) => opened.records.stackLocked(stack),
    };
    const changed = await changedStacks({ plan, facts, concurrency: 4 });
    if (flags.githubOutput) fs.appendFileSync(flags.githubOutput, `changed=${JSON.stringify(changed)}\n`);
    process.stdout.write(flags.json ? `${JSON.stringify({ env: env.name, changed }, null, 2)}\n` : `changed stacks of ${env.name}: ${changed.join(", ") || "none"}\n`);
  } else if (flags.format === "github-actions") {
    process.stdout.write(renderGithubActions(plan, env));
  } else if (flags.json) {
    const edges = Object.fromEntries(plan.graph.nodes.map((name) => [name, plan.graph.dependencies.get(name)]));
    process.stdout.write(`${JSON.stringify({ env: plan.env, operation: plan.operation, order: plan.stacks.map((s) => s.name), dependencies: edges, outside: plan.outside }, null, 2)}\n`);
  } else process.stdout.write(`${renderPlan(plan, flags.format)}\n`);
}
