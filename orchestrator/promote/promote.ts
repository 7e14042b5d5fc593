import * as fs from "node:fs";
import * as path from "node:path";
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { LAYER_NAMES, stackName, type LayerName } from "../../environments/layers";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { RELEASE_CONFIG_KEY } from "../../environments/release";
import { stackId } from "../model/stack";
import { publishDirectory } from "../backend/publish";
import { operate } from "../operate/operate";
import { selectedLayers } from "../plan/plan";
import { checkChartMirror } from "../session/mirror-check";
import { capacityProblem, renderedCapacity } from "../session/preflight";
import { inRunSession } from "../session/run-session";
import { PreflightError } from "../model/preflight-error";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";
import { writeCheckpoint } from "./checkpoint";
import { renderChangelog } from "./changelog";
import type { PromotionReport, GateResult, RecoveredPromotions, StackPromotion } from "../model/promotion-report";
import { formatCostDelta } from "../../environments/cost-delta";
import type { PriceList } from "../../environments/pricing";
import { priceListFor } from "../session/cost-estimate";
import { promotionCost } from "./promotion-cost";
import { approvalGate, budgetGate, capacityGate, firstFailed, holdGate, policyGate, soakGate, targetPreviewGate, windowGate } from "./gates";
import { runMetricChecks } from "./metric-checks";
import { currentSoak, waitForSoak } from "./soak-wait";
import { changeWindowGate, type BreakGlassRequest } from "../plan/change-windows";
import type { Hold } from "../model/hold";
import { planPromotion } from "./plan";
import { promotionSteps, unfinishedPromotions, verifiedBaselines, type PromotionStart } from "./promotion-journal";
import { checkSource } from "./source-checks";
import { clearWhatAKilledRunLeft } from "./stuck-releases";
import { unsettledStacks } from "./unsettled";
import { verifyTarget } from "./verify";
import { currentReleases, withReleases } from "./release-config";
import { previewTarget } from "./target-preview";

export { undoPromotion, type PromotionUndo } from "./undo";
export { waitForSoak } from "./soak-wait";

export interface PromoteOptions {
  readonly source: string;
  readonly target: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
  readonly policyPacks: readonly string[];
  readonly verifyTimeoutMs: number;
  /** Resolves the approval gate: --approve/--approver, or a prompt on a terminal. Called only when required, after every other gate passed. */
  readonly approve: (summary: string) => Promise<{ approved: boolean; approver?: string }>;
  /** Why the target may go above its budget (--approve-budget --reason); recorded in the report. */
  readonly budgetApproval?: string;
  readonly reporter: RunReporter;
  readonly signal?: AbortSignal;
  /** `--break-glass --reason`: promote outside the target's change windows. */
  readonly breakGlass?: BreakGlassRequest;
  /** `--wait-soak`: wait for the source's soak to end instead of refusing. */
  readonly waitSoak?: boolean;
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
  const prices = priceListFor(workspace, target);
  const session = { env: target.name, operation: "up" as const, lock: { take: `promote from ${source.name}` }, checks: [{ kind: "policy-packs" as const, packs: options.policyPacks }, { kind: "chart-mirror" as const }, { kind: "passphrase" as const }] };
  return inRunSession(workspace, session, options.reporter, () => promoteLocked(workspace, source, target, layers, prices, options));
}

/** The promotion itself, under the target's lock: gates, checkpoint, apply, verification, rollback; and the settling of an earlier one that never ended. */
async function promoteLocked(workspace: Workspace, source: EnvironmentSpec, target: EnvironmentSpec, layers: readonly LayerName[] | undefined, prices: PriceList, options: PromoteOptions): Promise<PromoteOutcome> {
  const say = (line: string) => options.reporter.say(line);
  const id = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomUUID().slice(0, 8)}`;
  const startedAt = new Date().toISOString();
  const gates: GateResult[] = [];
  const steps = promotionSteps(workspace.dataDir);
  const unfinished = unfinishedPromotions(steps.readAll(), target.name);
  const baselines = verifiedBaselines(unfinished);
  let report: PromotionReport = { id, source: source.name, target: target.name, startedAt, result: "refused", gates, stacks: [], preview: {}, applied: {} };
  const finish = (changes: Partial<PromotionReport>): PromoteOutcome => {
    report = { ...report, ...changes, gates };
    const settles = report.recovered && report.recovered.outcome !== "unsettled" ? report.recovered.promotions : [];
    steps.append({ kind: "end", id, target: target.name, endedAt: new Date().toISOString(), result: report.result, settles });
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

  const run = (phase: "apply" | "rollback", stacks: readonly StackPromotion[]) => {
    const promotion = { id, source: source.name, phase, ...(report.approver ? { approver: report.approver } : {}) };
    const breakGlass = phase === "apply" && report.breakGlass ? { breakGlass: report.breakGlass } : {};
    return operate(workspace, "up", { env: target.name, layers: stacks.map((s) => s.layer), parallel: options.parallel, force: true, lockHeld: true, promotion, ...breakGlass }, options.reporter, options.signal);
  };

  say(`promote ${source.name} -> ${target.name}: gates`);
  const promotedLayers = LAYER_NAMES.filter((l) => source.layers[l].enabled && target.layers[l].enabled && (!layers || layers.includes(l)));
  const window = changeWindowGate(target, "promote", new Date(), options.breakGlass);
  if (window.go && window.breakGlass) report = { ...report, breakGlass: window.breakGlass };
  gate(windowGate(window));
  gate(holdGate(target.name, await workspace.holds.read(target.name)));
  const soak = options.waitSoak ? await waitForSoak(workspace, source, promotedLayers, { say, ...(options.signal ? { signal: options.signal } : {}) }) : await currentSoak(workspace, source, promotedLayers);
  gate(soakGate(source.name, soak));
  // The cheap gates first: a window, a hold or a soak refuses without the source's drift check.
  if (!firstFailed(gates)) for (const result of await checkSource(workspace, source, promotedLayers, options)) gate(result);

  // The target's "before" is what was last deployed and verified: where an unfinished promotion changed its config, the release from before it.
  const releases = await currentReleases(workspace, [source, target]);
  const current = (env: EnvironmentSpec, layer: LayerName) => (env.name === target.name ? baselines.get(stackName(layer, env.name))?.release : undefined) ?? releases.get(stackName(layer, env.name));
  const plan = planPromotion(source, target, current, layers);
  const unsettled = await unsettledStacks(workspace, target, plan, unfinished, options.signal);
  const changed = plan.filter((stack) => stack.changes.length > 0 || unsettled.has(stack.target));
  report = { ...report, stacks: plan };
  say(describePlan(plan, unsettled));
  const recovery = recoveryOf(unfinished, changed, unsettled);
  if (recovery) say(`not settled in ${target.name}: ${recovery.stacks.map((s) => s.stack).join(", ")}; this promotion applies and verifies them, or rolls them back`);

  if (firstFailed(gates)) return finish({ result: "refused", ...(await settleRefused()) });
  if (changed.length === 0) return finish({ result: "nothing-to-promote" });
  // The release's chart versions come from the source's stacks; the target's mirror must have them before its config changes.
  checkChartMirror(workspace.root, withReleases(target, changed));

  // Checkpoint before anything is written: the verified baseline where there is one, else the config as stored and the state as exported.
  const savedConfig = new Map<string, string | null>();
  const checkpointDir = path.join(workspace.dataDir, "promotions", id);
  const restoreCommands: string[] = [];
  for (const stack of changed) {
    const targetId = stackId(stack.layer, target.name);
    const baseline = baselines.get(stack.target);
    savedConfig.set(stack.target, baseline ? baseline.config : await workspace.configFiles.saveConfig(targetId));
    const state = baseline ? baseline.state : (await workspace.records.exists(targetId)) ? await workspace.records.exportState(targetId) : undefined;
    restoreCommands.push(...writeCheckpoint(checkpointDir, { stack: stack.target, config: savedConfig.get(stack.target) ?? null, state }));
  }
  if (workspace.blobs) say(`checkpoint copied to ${await publishDirectory(workspace.blobs, checkpointDir, `promotions/${id}`)}`);
  report = { ...report, checkpoint: checkpointDir };
  steps.append({ kind: "start", id, source: source.name, target: target.name, startedAt, checkpoint: checkpointDir, stacks: changed.map((s) => ({ stack: s.target, before: s.before, after: s.after })) });
  const restoreConfig = async (stacks: readonly StackPromotion[]) => {
    for (const stack of stacks) await workspace.configFiles.restoreConfig(stackId(stack.layer, target.name), savedConfig.get(stack.target) ?? null);
  };
  await clearWhatAKilledRunLeft(workspace, target, changed.filter((s) => unsettled.has(s.target)).map((s) => stackId(s.layer, target.name)), say);
  for (const stack of changed) {
    await workspace.engine.prepare(stackId(stack.layer, target.name), { [RELEASE_CONFIG_KEY]: { value: JSON.stringify(stack.after), secret: false } });
  }

  const preview = await previewTarget(workspace, target, changed, options);
  report = { ...report, preview: preview.changes };
  gate(policyGate(preview.violations));
  gate(targetPreviewGate(preview.changes, preview.errors));
  for (const [stack, changes] of Object.entries(preview.changes)) for (const change of changes) say(`    ${stack}: ${change.op} ${change.type} ${change.name}`);
  const promoted = withReleases(target, changed);
  // A chart that does not render refuses the promotion like a release that does not fit: the config is put back below.
  gate(capacityGate(await renderedCapacity(workspace, promoted).then((capacity) => capacityProblem(promoted, capacity), (error: Error) => error.message)));
  if (!firstFailed(gates)) {
    const label = `${prices.notional ? "notional prices" : "list prices"} of ${prices.date}`;
    const cost = await promotionCost(workspace, target, changed, prices, label, options.budgetApproval);
    report = { ...report, cost };
    say(`  monthly estimate at ${label} (an estimate, not a bill):`);
    for (const line of formatCostDelta(cost.delta)) say(`    ${line}`);
    gate(budgetGate(target.name, cost.delta.total.after, cost.delta.currency, cost.budget, options.budgetApproval));
  }
  if (!firstFailed(gates)) {
    const required = target.promotion.requiresApproval;
    const answer = required ? await options.approve(`promote ${source.name} -> ${target.name}: ${changed.map((s) => s.target).join(", ")}`) : { approved: true };
    gate(approvalGate(target.name, { required, ...answer }));
    report = { ...report, ...(answer.approver ? { approver: answer.approver } : {}) };
  }
  if (firstFailed(gates)) {
    await restoreConfig(changed);
    return finish({ result: "refused", ...(await settleRefused()) });
  }

  const apply = await run("apply", changed);
  const applied = Object.fromEntries(apply.record.stacks.map((s) => [s.stack.name, s.outcome.status === "succeeded" ? s.outcome.changes : {}]));
  const applySucceeded = apply.record.status === "succeeded";
  const verification = applySucceeded ? await verifyTarget(workspace.engine, target, workspace.root, changed.map((s) => stackId(s.layer, target.name)), options.verifyTimeoutMs) : undefined;
  verification?.checks.forEach((check) => say(`  verify ${check.passed ? "pass" : "FAIL"} ${check.stack}: ${check.reason}`));
  const metrics = verification?.passed ? await runMetricChecks(target, say, options.signal) : [];
  const checks = [...(verification?.checks ?? []), ...metrics.map((m) => ({ stack: `metric ${m.check}`, passed: m.passed, reason: m.reason }))];
  if (applySucceeded && verification?.passed && metrics.every((m) => m.passed)) {
    const outcome = recoveredOutcome(unfinished, changed);
    if (recovery) say(recoveryLine(recovery.promotions, outcome));
    // Settling alone (the release is the verified one again) promotes nothing.
    const result = plan.some((stack) => stack.changes.length > 0) ? "promoted" : "nothing-to-promote";
    return finish({ result, applied, verification: checks, ...(recovery ? { recovered: { ...recovery, outcome } } : {}) });
  }

  const why = !applySucceeded ? "the apply failed" : verification?.passed ? "a metric check failed" : "verification failed";
  say(`${why}: rolling back ${changed.map((s) => s.target).join(", ")} to their last verified config`);
  await restoreConfig(changed);
  const rollback = await run("rollback", changed);
  const succeeded = rollback.record.status === "succeeded";
  if (recovery) say(recoveryLine(recovery.promotions, succeeded ? "rolled-back" : "unsettled"));
  const hold: Hold = { env: target.name, since: new Date().toISOString(), reason: `promotion ${id} from ${source.name} rolled back: ${why}`, placedBy: "rollback", promotion: id };
  await workspace.holds.place(hold);
  say(`${target.name} is held: promotions into it are refused until \`npm run promote -- release-hold ${target.name}\``);
  return finish({
    result: succeeded ? "rolled-back" : "rollback-failed",
    hold,
    applied,
    ...(verification ? { verification: checks } : {}),
    ...(recovery ? { recovered: { ...recovery, outcome: succeeded ? "rolled-back" : "unsettled" } } : {}),
    rollback: {
      stacks: changed.map((s) => s.target),
      succeeded,
      reason: succeeded
        ? `${why}; previous release re-applied`
        : `${why}, and re-applying the previous release failed too; the pre-promotion checkpoint is in ${checkpointDir}: restore with ${restoreCommands.map((c) => `\`${c}\``).join(", ")}`,
    },
  });

  /** A refused promotion still settles what an unfinished one left: its stacks get their verified config back and are re-applied. */
  async function settleRefused(): Promise<Pick<PromotionReport, "recovered" | "rollback">> {
    const stacks = changed.filter((s) => baselines.has(s.target));
    if (!recovery || stacks.length === 0) {
      say("refused: the target's config is as it was; nothing was deployed");
      return {};
    }
    say(`refused; rolling back ${stacks.map((s) => s.target).join(", ")} to the release verified before the unfinished promotion ${recovery.promotions.join(", ")}`);
    for (const stack of stacks) await workspace.configFiles.restoreConfig(stackId(stack.layer, target.name), baselines.get(stack.target)!.config);
    const rollback = await run("rollback", stacks);
    const succeeded = rollback.record.status === "succeeded";
    say(recoveryLine(recovery.promotions, succeeded ? "rolled-back" : "unsettled"));
    return {
      recovered: { ...recovery, outcome: succeeded ? "rolled-back" : "unsettled" },
      rollback: { stacks: stacks.map((s) => s.target), succeeded, reason: succeeded ? "the promotion was refused; the release verified before the unfinished promotion re-applied" : "the promotion was refused, and re-applying the verified release failed" },
    };
  }
}

/** The unfinished promotions and unsettled stacks this promotion takes over, if any; promotions whose stacks it leaves out stay unfinished. Pure. */
function recoveryOf(unfinished: readonly PromotionStart[], changed: readonly StackPromotion[], unsettled: ReadonlyMap<string, string>): Omit<RecoveredPromotions, "outcome"> | undefined {
  if (unsettled.size === 0) return undefined;
  const taken = new Set(changed.map((s) => s.target));
  const promotions = unfinished.filter((p) => p.stacks.every((s) => taken.has(s.stack))).map((p) => p.id);
  return { promotions, stacks: [...unsettled].map(([stack, why]) => ({ stack, why })) };
}

/** What applying `changed` did to the unfinished promotions: their release, the one before them, or a newer one. Pure. */
function recoveredOutcome(unfinished: readonly PromotionStart[], changed: readonly StackPromotion[]): RecoveredPromotions["outcome"] {
  const after = new Map(changed.map((s) => [s.target, s.after]));
  const all = (pick: (s: PromotionStart["stacks"][number]) => unknown) => unfinished.every((p) => p.stacks.every((s) => isDeepStrictEqual(after.get(s.stack), pick(s))));
  if (all((s) => s.after)) return "finished";
  if (all((s) => s.before)) return "rolled-back";
  return "superseded";
}

const OUTCOME_WORDS: Record<RecoveredPromotions["outcome"], string> = {
  finished: "finished: its release is applied and verified",
  "rolled-back": "rolled back: the release verified before it is applied again",
  superseded: "superseded: this promotion's release is applied and verified over it",
  unsettled: "still not settled: the rollback failed",
};

/** What became of the unfinished promotions, for people. Pure. */
function recoveryLine(promotions: readonly string[], outcome: RecoveredPromotions["outcome"]): string {
  return `${promotions.length === 0 ? "the unsettled target stacks:" : `unfinished promotion ${promotions.join(", ")}`} ${OUTCOME_WORDS[outcome]}`;
}

function describePlan(plan: readonly StackPromotion[], unsettled: ReadonlyMap<string, string>): string {
  const lines = ["config to promote (against the last verified release):"];
  for (const stack of plan) {
    if (stack.changes.length === 0) lines.push(`  ${stack.target}: unchanged${unsettled.has(stack.target) ? `, but not settled: ${unsettled.get(stack.target)}` : ""}`);
    for (const change of stack.changes) lines.push(`  ${stack.target}: ${change.component}.${change.field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`);
    if (stack.changes.length > 0 && unsettled.has(stack.target)) lines.push(`  ${stack.target}: not settled: ${unsettled.get(stack.target)}`);
  }
  return lines.join("\n");
}
