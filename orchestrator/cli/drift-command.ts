import * as fs from "node:fs";
import * as path from "node:path";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { localClient, type KubeClient } from "../../tools/cluster/kube-client";
import { detectDrift, driftedStacks, verdict, type DriftReport } from "../drift/detect";
import { deployedReleases, reapplyRelease, releaseObjectDrift, withReleaseDrift } from "../drift/release-drift";
import type { StackId } from "../engine";
import { renderDriftMarkdown, renderDriftTable } from "../drift/render";
import { planRun } from "../plan/plan";
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

/** Detects drift, reports it three ways, and optionally remediates the drifted stacks only. */
export async function driftCommand(workspace: Workspace, options: DriftOptions, signal?: AbortSignal): Promise<DriftOutcome> {
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  const env = loadEnvironment(options.env);
  const plan = planRun(env, { operation: "preview", layers: options.layers });
  say(`checking ${plan.stacks.length} stack(s) of ${env.name} for drift (refresh preview + program preview, ${options.parallel} at a time)`);
  const client = env.target === "local" && env.local ? localClient(path.resolve(workspace.root, env.local.kubeconfig)) : undefined;
  if (!client) say(`objects inside Helm releases are not compared: no token access to ${env.name}'s API (local environments only)`);
  const inside = async (stacks: readonly StackId[]) => (client ? releaseObjectDrift(client, await deployedReleases(client, env, stacks)) : new Map());
  const check = async (stacks: readonly StackId[]) => withReleaseDrift(await detectDrift(workspace.engine, env.name, stacks, options.parallel, signal), await inside(stacks));
  const report = await check(plan.stacks);
  publish(report, options, say);

  let outcome: DriftOutcome = { exitCode: exitFor(report), report };
  const drifted = driftedStacks(report);
  if (options.remediate && drifted.length > 0 && verdict(report) !== "error") {
    const layers = plan.stacks.filter((s) => drifted.includes(s.name)).map((s) => s.layer);
    say(`remediating ${drifted.join(", ")} with ${options.remediate === "refresh" ? "refresh (accept reality into state)" : "up --refresh (put reality back to the code)"}`);
    if (options.remediate === "up" && client) await reapplyDriftedReleases(client, env, workspace.root, plan.stacks.filter((s) => drifted.includes(s.name)), report, say);
    const run = await operate(
      workspace,
      options.remediate,
      { env: env.name, layers, parallel: options.parallel, json: options.json, emitJson: false, force: true, refresh: options.remediate === "up" },
      signal,
    );
    const after = await check(plan.stacks.filter((s) => drifted.includes(s.name)));
    say(renderDriftTable(after));
    outcome = { exitCode: run.exitCode !== EXIT.ok ? run.exitCode : exitFor(after), report, ...(run.record ? { remediation: run.record } : {}), after };
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ verdict: verdict(outcome.after ?? report), report, remediation: outcome.remediation, after: outcome.after }, null, 2)}\n`);
  return outcome;
}

/** Objects inside a release are Helm's to restore: its current revision is applied again. */
async function reapplyDriftedReleases(client: KubeClient, env: EnvironmentSpec, root: string, stacks: readonly StackId[], report: DriftReport, say: (line: string) => void): Promise<void> {
  const driftedReleases = new Set(report.stacks.flatMap((s) => s.drift.filter((c) => c.urn.startsWith("helm:")).map((c) => c.urn.slice(5, c.urn.indexOf("::")))));
  for (const { release } of await deployedReleases(client, env, stacks)) {
    if (!driftedReleases.has(release.name)) continue;
    say(`re-applying Helm release ${release.namespace}/${release.name} revision ${release.version}`);
    await reapplyRelease(release, path.resolve(root, env.local!.kubeconfig));
  }
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

