import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { checkCapacity } from "../../environments/capacity";
import { LAYER_NAMES, stackName, type LayerName } from "../../environments/layers";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { RELEASE_CONFIG_KEY } from "../../environments/release";
import { engineDrift } from "../drift/drift";
import { driftedStacks, verdict } from "../model/drift-report";
import { stackId } from "../model/stack";
import { publishDirectory } from "../backend/publish";
import { operate } from "../operate/operate";
import { selectedLayers } from "../plan/plan";
import type { RunRecord } from "../model/run-record";
import { checkChartMirror } from "../session/mirror-check";
import { readHistoryFacts } from "../session/history-facts";
import { inRunSession } from "../session/run-session";
import { PreflightError } from "../model/preflight-error";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";
import { writeCheckpoint } from "./checkpoint";
import { renderChangelog } from "./changelog";
import type { PromotionReport, GateResult, StackPromotion } from "../model/promotion-report";
import { approvalGate, capacityGate, firstFailed, policyGate, sourceGates, targetPreviewGate } from "./gates";
import { changedStacks, planPromotion } from "./plan";
import { verifyTarget } from "./verify";
import { currentReleases, withReleases } from "./release-config";
import { previewTarget } from "./target-preview";

export interface PromoteOptions {
  readonly source: string;
  readonly target: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  readonly policyPacks: readonly string[];
  readonly verifyTimeoutMs: number;
  /** Resolves the approval gate: --approve/--approver, or a prompt on a terminal. Called only when required, after every other gate passed. */
  readonly approve: (summary: string) => Promise<{ approved: boolean; approver?: string }>;
  readonly reporter: RunReporter;
  readonly signal?: AbortSignal;
}

export interface PromoteOutcome {
  readonly report: PromotionReport;
  readonly changelogFile: string;
}

/**
 * Promotes the source's release (chart versions, component values) to the target: gates in
 * order, then an ordered parallel up, verification, and an automatic rollback to the saved
 * config if apply or verification fails.
 */
export async function promote(workspace: Workspace, options: PromoteOptions): Promise<PromoteOutcome> {
  const source = loadEnvironment(options.source, { dir: workspace.environmentsDir });
  const target = loadEnvironment(options.target, { dir: workspace.environmentsDir });
  if (source.name === target.name) throw new PreflightError(`cannot promote ${source.name} to itself`);
  if (target.promotion.promotesFrom && target.promotion.promotesFrom !== source.name) {
    throw new PreflightError(`${target.file}: promotion.promotesFrom is ${target.promotion.promotesFrom}; promote from it (npm run promote -- ${target.promotion.promotesFrom} ${target.name}) or change that field`);
  }
  const layers = selectedLayers(options.layers);
  const session = { env: target.name, operation: "up" as const, lock: { take: `promote from ${source.name}` }, checks: [{ kind: "policy-packs" as const, packs: options.policyPacks }, { kind: "chart-mirror" as const }, { kind: "passphrase" as const }] };
  return inRunSession(workspace, session, options.reporter, () => promoteLocked(workspace, source, target, layers, options));
}

/** The promotion itself, under the target's lock: gates, checkpoint, apply, verification, rollback. */
async function promoteLocked(workspace: Workspace, source: EnvironmentSpec, target: EnvironmentSpec, layers: readonly LayerName[] | undefined, options: PromoteOptions): Promise<PromoteOutcome> {
  const say = (line: string) => options.reporter.say(line);
  const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const gates: GateResult[] = [];
  let report: PromotionReport = { id, source: source.name, target: target.name, startedAt, result: "refused", gates, stacks: [], preview: {}, applied: {} };
  const finish = (changes: Partial<PromotionReport>): PromoteOutcome => {
    report = { ...report, ...changes, gates };
    const file = path.join(workspace.dataDir, "promotions", `${id}.md`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${renderChangelog(report)}\n`);
    say(`change log: ${file}`);
    return { report, changelogFile: file };
  };
  const gate = (result: GateResult) => {
    gates.push(result);
    say(`  ${result.passed ? "pass" : "FAIL"}  ${result.gate.padEnd(18)} ${result.reason}`);
    return result.passed;
  };

  say(`promote ${source.name} -> ${target.name}: gates`);
  const sourceStacks = LAYER_NAMES.filter((l) => source.layers[l].enabled && target.layers[l].enabled && (!layers || layers.includes(l))).map((l) => stackId(l, source.name));
  const sourceHistory = await readHistoryFacts(workspace, source);
  const lastStatus = lastStatuses(sourceHistory.records);
  const drift = await engineDrift(workspace, source.name, sourceStacks, options.parallel, options.signal);
  const facts = sourceStacks.map((s) => ({ stack: s.name, deployed: sourceHistory.lastUps.has(s.name), lastStatus: lastStatus.get(s.name) }));
  for (const result of sourceGates(source.name, facts, { verdict: verdict(drift), stacks: driftedStacks(drift) })) gate(result);
  if (firstFailed(gates)) return finish({ result: "refused" });

  const releases = await currentReleases(workspace, [source, target]);
  const plan = planPromotion(source, target, (env, layer) => releases.get(stackName(layer, env.name)), layers);
  const changed = changedStacks(plan);
  report = { ...report, stacks: plan };
  say(describePlan(plan));
  if (changed.length === 0) return finish({ result: "nothing-to-promote" });
  // The release's chart versions come from the source's stacks; the target's mirror must have them before its config changes.
  checkChartMirror(workspace.root, withReleases(target, changed));

  // Checkpoint before anything is written: the config as stored and the state as exported.
  const savedConfig = new Map<string, string | null>();
  for (const stack of changed) savedConfig.set(stack.target, await workspace.configFiles.saveConfig(stackId(stack.layer, target.name)));
  const checkpointDir = path.join(workspace.dataDir, "promotions", id);
  const restoreCommands: string[] = [];
  for (const stack of changed) {
    const targetId = stackId(stack.layer, target.name);
    const state = (await workspace.records.exists(targetId)) ? await workspace.records.exportState(targetId) : undefined;
    restoreCommands.push(...writeCheckpoint(checkpointDir, { stack: stack.target, config: savedConfig.get(stack.target) ?? null, state }));
  }
  if (workspace.blobs) say(`checkpoint copied to ${await publishDirectory(workspace.blobs, checkpointDir, `promotions/${id}`)}`);
  report = { ...report, checkpoint: checkpointDir };
  const restoreConfig = async () => {
    for (const stack of changed) await workspace.configFiles.restoreConfig(stackId(stack.layer, target.name), savedConfig.get(stack.target) ?? null);
  };
  for (const stack of changed) {
    await workspace.engine.prepare(stackId(stack.layer, target.name), { [RELEASE_CONFIG_KEY]: { value: JSON.stringify(stack.after), secret: false } });
  }

  const preview = await previewTarget(workspace, target, changed, options);
  report = { ...report, preview: preview.changes };
  gate(policyGate(preview.violations));
  gate(targetPreviewGate(preview.changes, preview.errors));
  for (const [stack, changes] of Object.entries(preview.changes)) for (const change of changes) say(`    ${stack}: ${change.op} ${change.type} ${change.name}`);
  const capacity = checkCapacity(withReleases(target, changed));
  gate(capacityGate({ name: target.name, maxNodes: target.cluster.maxNodes }, capacity.fits));
  if (!firstFailed(gates)) {
    const required = target.promotion.requiresApproval;
    const answer = required ? await options.approve(`promote ${source.name} -> ${target.name}: ${changed.map((s) => s.target).join(", ")}`) : { approved: true };
    gate(approvalGate(target.name, { required, ...answer }));
    report = { ...report, ...(answer.approver ? { approver: answer.approver } : {}) };
  }
  if (firstFailed(gates)) {
    await restoreConfig();
    say("refused: the target's config was put back; nothing was deployed");
    return finish({ result: "refused" });
  }

  const promotion = { id, source: source.name, approver: report.approver };
  const targetLayers = changed.map((s) => s.layer);
  const apply = await operate(workspace, "up", { env: target.name, layers: targetLayers, parallel: options.parallel, force: true, lockHeld: true, promotion: { ...promotion, phase: "apply" } }, options.reporter, options.signal);
  const applied = Object.fromEntries(apply.record.stacks.map((s) => [s.stack.name, s.outcome.status === "succeeded" ? s.outcome.changes : {}]));
  const applySucceeded = apply.record.status === "succeeded";
  const verification = applySucceeded ? await verifyTarget(workspace.engine, target, workspace.root, changed.map((s) => stackId(s.layer, target.name)), options.verifyTimeoutMs) : undefined;
  verification?.checks.forEach((check) => say(`  verify ${check.passed ? "pass" : "FAIL"} ${check.stack}: ${check.reason}`));
  if (applySucceeded && verification?.passed) return finish({ result: "promoted", applied, verification: verification.checks });

  const why = !applySucceeded ? "the apply failed" : "verification failed";
  say(`${why}: rolling back ${changed.map((s) => s.target).join(", ")} to their previous config`);
  await restoreConfig();
  const rollback = await operate(workspace, "up", { env: target.name, layers: targetLayers, parallel: options.parallel, force: true, lockHeld: true, promotion: { ...promotion, phase: "rollback" } }, options.reporter, options.signal);
  const succeeded = rollback.record.status === "succeeded";
  return finish({
    result: succeeded ? "rolled-back" : "rollback-failed",
    applied,
    ...(verification ? { verification: verification.checks } : {}),
    rollback: {
      stacks: changed.map((s) => s.target),
      succeeded,
      reason: succeeded
        ? `${why}; previous release re-applied`
        : `${why}, and re-applying the previous release failed too; the pre-promotion checkpoint is in ${checkpointDir}: restore with ${restoreCommands.map((c) => `\`${c}\``).join(", ")}`,
    },
  });
}

function lastStatuses(records: readonly RunRecord[]): Map<string, string> {
  const statuses = new Map<string, string>();
  for (const record of records) {
    for (const result of record.stacks) {
      if (result.operation === "preview" || result.outcome.status === "skipped") continue;
      statuses.set(result.stack.name, `${result.operation} ${result.outcome.status}`);
    }
  }
  return statuses;
}

function describePlan(plan: readonly StackPromotion[]): string {
  const lines = ["config to promote:"];
  for (const stack of plan) {
    if (stack.changes.length === 0) lines.push(`  ${stack.target}: unchanged`);
    for (const change of stack.changes) lines.push(`  ${stack.target}: ${change.component}.${change.field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
  }
  return lines.join("\n");
}
