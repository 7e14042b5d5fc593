import * as fs from "node:fs";
import { loadEnvironment } from "../../environments/load";
import { detectDrift, driftedStacks, verdict, type DriftReport } from "../drift/detect";
import { renderDriftMarkdown, renderDriftTable } from "../drift/render";
import type { EnvironmentSpec } from "../../environments/model";
import { recoveryNote } from "../lock";
import { planRun, type StackPlan } from "../plan/plan";
import type { RunRecord } from "../results";
import { EXIT } from "./exit-codes";
import { operate } from "./operate";
import type { Workspace } from "./workspace";

export interface DriftOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  readonly json?: boolean;
  readonly markdown?: string;
  readonly remediate?: "refresh" | "up";
}

export interface DriftOutcome {
  readonly exitCode: number;
  readonly report: DriftReport;
  readonly remediation?: RunRecord;
  readonly after?: DriftReport;
}

/**
 * Detects drift, reports it three ways, and optionally remediates the drifted stacks only. Holds
 * the environment lock throughout: `refresh --preview-only` takes no stack lock (engine 3.229+),
 * so only this lock keeps a drift check from reading state halfway through an `up`.
 */
export async function driftCommand(workspace: Workspace, options: DriftOptions, signal?: AbortSignal): Promise<DriftOutcome> {
  const env = loadEnvironment(options.env);
  const plan = planRun(env, { operation: "preview", layers: options.layers });
  const lock = await workspace.locks.acquire(env.name, options.remediate ? `drift --remediate ${options.remediate}` : "drift");
  try {
    const recovered = recoveryNote(lock);
    if (recovered) (options.json ? process.stderr : process.stdout).write(`${recovered}\n`);
    return await checkDrift(workspace, options, env, plan, signal);
  } finally {
    await lock.release();
  }
}

async function checkDrift(workspace: Workspace, options: DriftOptions, env: EnvironmentSpec, plan: StackPlan, signal?: AbortSignal): Promise<DriftOutcome> {
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  say(`checking ${plan.stacks.length} stack(s) of ${env.name} for drift (refresh preview + program preview, ${options.parallel} at a time)`);
  const report = await detectDrift(workspace.engine, env.name, plan.stacks, options.parallel, signal);
  publish(report, options, say);

  let outcome: DriftOutcome = { exitCode: exitFor(report), report };
  const drifted = driftedStacks(report);
  if (options.remediate && drifted.length > 0 && verdict(report) !== "error") {
    const layers = plan.stacks.filter((s) => drifted.includes(s.name)).map((s) => s.layer);
    say(`remediating ${drifted.join(", ")} with ${options.remediate === "refresh" ? "refresh (accept reality into state)" : "up --refresh (put reality back to the code)"}`);
    const run = await operate(
      workspace,
      options.remediate,
      { env: env.name, layers, parallel: options.parallel, json: options.json, emitJson: false, force: true, refresh: options.remediate === "up", lockHeld: true },
      signal,
    );
    const after = await detectDrift(workspace.engine, env.name, plan.stacks.filter((s) => drifted.includes(s.name)), options.parallel, signal);
    say(renderDriftTable(after));
    outcome = { exitCode: run.exitCode !== EXIT.ok ? run.exitCode : exitFor(after), report, ...(run.record ? { remediation: run.record } : {}), after };
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ verdict: verdict(outcome.after ?? report), report, remediation: outcome.remediation, after: outcome.after }, null, 2)}\n`);
  return outcome;
}

function publish(report: DriftReport, options: DriftOptions, say: (line: string) => void): void {
  if (!options.json) say(renderDriftTable(report));
  const markdown = renderDriftMarkdown(report);
  if (options.markdown) fs.writeFileSync(options.markdown, `${markdown}\n`);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${markdown}\n`);
}

function exitFor(report: DriftReport): number {
  const result = verdict(report);
  return result === "clean" ? EXIT.ok : result === "drift" ? EXIT.drift : EXIT.failed;
}

