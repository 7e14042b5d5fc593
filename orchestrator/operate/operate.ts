import type { CapacityReport } from "../../environments/capacity";
import { LAYER_NAMES } from "../../environments/layers";
import { loadEnvironment } from "../../environments/load";
import type { ProgressWriter } from "../history/progress-journal";
import { runRecord, runStart } from "../history/record";
import { redactDeep } from "../history/redact";
import type { ResourceChange } from "../model/changes";
import { endEvent } from "../model/progress-event";
import type { RunRecord, RunStart, StackRunResult } from "../model/run-record";
import { runsProgram, type Operation } from "../model/stack";
import { changeWindowGate, type BreakGlassRequest } from "../plan/change-windows";
import type { StackPlan } from "../plan/plan";
import { RefusedError } from "../model/refused-error";
import type { ProgressView, RunReporter } from "../run/progress";
import { journaledView } from "../run/journaled-progress";
import { DEFAULT_RETRY, retryPatterns } from "../run/retry";
import { runPlan } from "../run/runner";
import { deployChecks, engineChecks } from "../session/preflight";
import type { CostFinding } from "../session/cost-estimate";
import { costTrend } from "../history/cost-trend";
import { inRunSession, type RunSession } from "../session/run-session";
import { unreadableReasons } from "../session/unreadable-states";
import type { Workspace } from "../workspace/workspace";
import { openDestroyStep, type DestroyFindings, type DestroyStep, type PurgeConfirmation } from "./destroy/destroy-step";
import type { StuckLayerNamespace } from "./destroy/namespace-causes";
import { previewReleaseChanges } from "./preview-release-changes";
import { releaseRepairStep } from "./release-repair-step";

export interface OperateOptions {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly withDeps?: boolean;
  readonly parallel: number;
  readonly force?: boolean;
  readonly refresh?: boolean;
  readonly policyPacks?: readonly string[];
  readonly retries?: number;
  readonly retryOn?: readonly string[];
  /** The caller already holds the environment's lock (a promotion applying or rolling back, a drift remediation). */
  readonly lockHeld?: boolean;
  readonly promotion?: RunRecord["promotion"];
  /** up: why the estimate may exceed the environment's budget (--approve-budget --reason). */
  readonly budgetApproval?: string;
  /** The change window this run overrides, recorded with it; see changeWindowGate. */
  readonly breakGlass?: RunRecord["breakGlass"];
  /** `--break-glass --reason`: go ahead outside the change windows. */
  readonly breakGlassRequest?: BreakGlassRequest;
  /** destroy: after a successful destroy of every stack, delete the CRDs the charts left, once confirmed. */
  readonly purgeCrds?: PurgeConfirmation;
}

interface Ran {
  readonly record: RunRecord;
  readonly plan: StackPlan;
}

/** What each operation returns: the run, and what only that operation finds. */
export type OperateResult =
  | (Ran & { readonly operation: "up"; readonly capacity?: CapacityReport; readonly cost?: CostFinding })
  | (Ran & {
      readonly operation: "preview";
      readonly capacity?: CapacityReport;
      readonly cost?: CostFinding;
      /** Per stack, the objects and fields a values change alters inside its releases. */
      readonly releaseChanges?: Readonly<Record<string, readonly ResourceChange[]>>;
    })
  | (Ran & { readonly operation: "refresh" })
  | (Ran &
      DestroyFindings & {
        readonly operation: "destroy";
        /** Why the leftovers could not be listed or purged; the command fails. */
        readonly leftoverProblem?: string;
      });

/** up / preview / refresh / destroy over an environment, in one run session: checked, locked, run, recorded. */
export async function operate(workspace: Workspace, operation: Operation, options: OperateOptions, reporter: RunReporter, signal?: AbortSignal): Promise<OperateResult> {
  if (!options.lockHeld && (operation === "up" || operation === "destroy")) options = { ...options, ...checkChangeWindow(workspace, operation, options, reporter) };
  const retryOn = retryPatterns(options.retryOn ?? []);
  const request = {
    env: options.env,
    operation,
    layers: options.layers,
    withDeps: options.withDeps,
    lock: options.lockHeld ? ("held-by-caller" as const) : { take: operation },
    checks: [...(runsProgram(operation) ? deployChecks(options.policyPacks ?? [], costCheckOf(operation, options)) : []), ...engineChecks()],
  };
  return inRunSession(workspace, request, reporter, async (session) => {
    const start = await announceStart(session, operation);
    const secrets = session.findings.secrets?.generatedValues ?? [];
    const journal = await openJournal(session, start);
    const display = journal ? journaledView(reporter.openProgress(), journal, secrets) : reporter.openProgress();
    let steps: OperationSteps | undefined;
    try {
      steps = await openSteps(session, operation, display);
      const { results, stuckNamespaces } = await runStacks(session, operation, options, steps, { retryOn, display, signal });
      display.close();
      const record = redactDeep(runRecord(start, results, signal, { ...(options.promotion ? { promotion: options.promotion } : {}), ...(options.breakGlass ? { breakGlass: options.breakGlass } : {}) }), secrets);
      await workspace.history.append(record);
      await closeJournal(session, journal, record);
      // The cost trend is a file of this checkout; a shared backend keeps nothing locally, so there it is not recorded.
      if (operation === "up" && record.status === "succeeded" && session.findings.cost && !workspace.blobs) recordEstimate(workspace, session.env.name, session.findings.cost, (line) => reporter.say(line));
      reporter.finished(record);
      return await operationResult(session, operation, options, record, steps, stuckNamespaces);
    } catch (error) {
      // The run stopped before any stack ran (the engine could not start): it ends here, not interrupted.
      const record = redactDeep({ ...runRecord(start, [], signal), status: "failed" as const, error: (error as Error).message }, secrets);
      await workspace.history.append(record);
      await closeJournal(session, journal, record);
      throw error;
    } finally {
      display.close();
      steps?.close();
    }
  });
}

/** Notes on stacks an earlier run left unsettled (killed, cancelled, failed, timed out), and the start line every run writes before it acts. */
async function announceStart(session: RunSession, operation: Operation): Promise<RunStart> {
  const { env, plan, workspace, reporter } = session;
  for (const [stack, unsettled] of (await session.facts()).unsettled) {
    if (plan.stacks.some((s) => s.name === stack)) reporter.say(`${stack}: left unsettled by the ${unsettled.reason}; it is reconciled with the cluster (refreshed) before it runs`);
  }
  const start = runStart(env.name, operation, plan.stacks.map((s) => s.name), new Date());
  await workspace.history.append(start);
  return start;
}

/** The run's progress journal; a journal that cannot be written costs the dashboard its live view, never the run. */
async function openJournal(session: RunSession, start: RunStart): Promise<ProgressWriter | undefined> {
  try {
    return await session.workspace.progress.open(start);
  } catch (error) {
    session.reporter.say(`warning: no progress journal in ${session.workspace.progress.where}: ${(error as Error).message}`);
    return undefined;
  }
}

async function closeJournal(session: RunSession, journal: ProgressWriter | undefined, record: RunRecord): Promise<void> {
  if (!journal) return;
  journal.write(endEvent(record));
  await journal.close().catch((error: Error) => session.reporter.say(`warning: the progress journal in ${session.workspace.progress.where} is incomplete: ${error.message}`));
}

interface RunContext {
  readonly retryOn: readonly RegExp[];
  readonly display: ProgressView;
  readonly signal?: AbortSignal;
}

/** The steps only this operation has: the stuck-release repair before each stack of an up or a destroy, the destroy's own watch and sweep. */
interface OperationSteps {
  readonly repair?: ReturnType<typeof releaseRepairStep>;
  readonly destroying?: DestroyStep;
  close(): void;
}

async function openSteps(session: RunSession, operation: Operation, display: ProgressView): Promise<OperationSteps> {
  const { workspace, env, plan, reporter } = session;
  const repair = operation === "up" || operation === "destroy" ? releaseRepairStep(session, operation) : undefined;
  const destroying =
    operation === "destroy"
      ? await openDestroyStep(env, workspace.root, workspace.engine, plan.stacks, { say: (line) => reporter.say(line), note: (stack, line) => display.note(`${stack}: ${line}`) })
      : undefined;
  return {
    ...(repair ? { repair } : {}),
    ...(destroying ? { destroying } : {}),
    close() {
      destroying?.close();
      repair?.close();
    },
  };
}

/** The stacks, with the operation's steps; a destroy's failed stacks are blamed on namespaces stuck terminating. */
async function runStacks(session: RunSession, operation: Operation, options: OperateOptions, steps: OperationSteps, context: RunContext): Promise<{ results: StackRunResult[]; stuckNamespaces: StuckLayerNamespace[] }> {
  const { workspace, env, plan, findings, reporter } = session;
  findings.secrets?.notes.forEach((line) => reporter.say(line));
  const unreadable = unreadableReasons(findings.unreadableStates ?? []);
  for (const message of unreadable.values()) reporter.say(`error: ${message}`);
  reporter.say(`${operation} ${env.name}: ${plan.stacks.length} stack(s), up to ${options.parallel} at a time`);
  const facts = await session.facts();
  const ran = await runPlan({
    engine: workspace.engine,
    records: workspace.records,
    plan,
    concurrency: options.parallel,
    signal: context.signal,
    retry: { ...DEFAULT_RETRY, attempts: (options.retries ?? DEFAULT_RETRY.attempts - 1) + 1 },
    retryOn: context.retryOn,
    policyPacks: runsProgram(operation) ? options.policyPacks : undefined,
    refresh: options.refresh,
    ...(findings.secrets ? { config: findings.secrets.config } : {}),
    ...(operation === "up" ? { fingerprints: facts.fingerprints } : {}),
    lastUps: facts.lastUps,
    unsettled: new Map([...facts.unsettled].map(([stack, unsettled]) => [stack, unsettled.reason])),
    ...(steps.repair ? { stackStep: steps.repair } : {}),
    force: options.force,
    unreadable,
    onProgress: (progress) => context.display.update(progress),
    onNote: (line) => context.display.note(line),
  });
  return steps.destroying ? steps.destroying.settle(ran) : { results: ran, stuckNamespaces: [] };
}

/** The operation's result once its run is recorded, with what only that operation finds after it. */
async function operationResult(session: RunSession, operation: Operation, options: OperateOptions, record: RunRecord, steps: OperationSteps, stuckNamespaces: readonly StuckLayerNamespace[]): Promise<OperateResult> {
  const { env, plan, findings, reporter } = session;
  switch (operation) {
    case "up":
      return { operation, record, plan, ...(findings.capacity ? { capacity: findings.capacity } : {}), ...(findings.cost ? { cost: findings.cost } : {}) };
    case "preview": {
      const releaseChanges = await previewReleaseChanges(session);
      return { operation, record, plan, ...(findings.capacity ? { capacity: findings.capacity } : {}), ...(findings.cost ? { cost: findings.cost } : {}), ...(releaseChanges ? { releaseChanges } : {}) };
    }
    case "refresh":
      return { operation, record, plan };
    case "destroy": {
      const whole = record.status === "succeeded" && plan.stacks.length === LAYER_NAMES.filter((l) => env.layers[l].enabled).length;
      const leftovers = whole && steps.destroying ? await steps.destroying.afterWholeDestroy(options.purgeCrds).catch((error: Error) => ({ leftoverProblem: error.message })) : {};
      if ("leftoverProblem" in leftovers) reporter.say(`error: ${leftovers.leftoverProblem}`);
      return { operation, record, plan, ...leftovers, ...(stuckNamespaces.length > 0 ? { stuckNamespaces } : {}) };
    }
  }
}

/** A promotion's apply and rollback were held to the budget at its gate; a rollback is never refused. */
function costCheckOf(operation: Operation, options: OperateOptions): { enforceBudget: boolean; budgetApproval?: string } {
  if (options.promotion) return { enforceBudget: false };
  return { enforceBudget: operation === "up", ...(options.budgetApproval ? { budgetApproval: options.budgetApproval } : {}) };
}

/** The estimate of what a successful up deployed, for the trend and the next preview; losing it loses no deployment. */
function recordEstimate(workspace: Workspace, env: string, cost: CostFinding, say: (line: string) => void): void {
  const { estimate } = cost;
  try {
    costTrend(workspace.dataDir).append({ env, at: new Date().toISOString(), currency: estimate.priceList.currency, prices: cost.prices, total: estimate.total, perLayer: estimate.perLayer, components: estimate.components, ...(cost.budgetApproval ? { budgetApproval: cost.budgetApproval } : {}) });
  } catch (error) {
    say(`could not record the cost estimate in history: ${(error as Error).message}`);
  }
}

/** up and destroy run inside the environment's change windows, or with break-glass (recorded with the run); a promotion's own runs were checked by the promotion. */
function checkChangeWindow(workspace: Workspace, operation: Operation, options: OperateOptions, reporter: RunReporter): Pick<OperateOptions, "breakGlass"> {
  const env = loadEnvironment(options.env, { dir: workspace.environmentsDir });
  const decision = changeWindowGate(env, operation, new Date(), options.breakGlassRequest);
  if (!decision.go) throw new RefusedError(decision.refusal);
  if (decision.note) reporter.say(decision.note);
  return decision.breakGlass ? { breakGlass: decision.breakGlass } : {};
}
