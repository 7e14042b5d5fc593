import { loadEnvironment } from "../../environments/load";
import type { StackId } from "../engine";
import { interruptedStacks, lastUps } from "../history/stats";
import { recoveryNote } from "../lock";
import { fingerprintSources } from "../run/fingerprint-inputs";
import { provablyUnchanged } from "../run/skip";
import { operate } from "../operate";
import { planRun } from "../plan/plan";
import type { RunRecord } from "../results";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace";
import { detectDrift, driftedStacks, verdict, type DriftReport } from "./detect";

export interface DriftRequest {
  readonly env: string;
  readonly layers?: readonly string[];
  readonly parallel: number;
}

export interface DriftCheck {
  readonly env: string;
  readonly stacks: readonly StackId[];
  readonly report: DriftReport;
}

export interface Remediation {
  readonly record: RunRecord;
  /** The remediated stacks checked again. */
  readonly after: DriftReport;
}

/**
 * A drift check, and its remediation when asked, under the environment's lock: the engine takes no
 * stack lock for a refresh preview (since 3.229), so only this lock keeps a check off a running up.
 */
export async function driftRun(
  workspace: Workspace,
  request: DriftRequest & { readonly remediate?: "refresh" | "up" },
  reporter: RunReporter,
  signal?: AbortSignal,
  onChecked: (check: DriftCheck) => void = () => {},
): Promise<{ check: DriftCheck; remediation?: Remediation }> {
  const env = loadEnvironment(request.env, { dir: workspace.environmentsDir });
  planRun(env, { operation: "preview", layers: request.layers });
  const lock = await workspace.locks.acquire(env.name, request.remediate ? `drift --remediate ${request.remediate}` : "drift");
  try {
    const recovered = recoveryNote(lock);
    if (recovered) reporter.say(recovered);
    const check = await checkDrift(workspace, request, reporter, signal);
    onChecked(check);
    const remediation = request.remediate ? await remediateDrift(workspace, check, request.remediate, request.parallel, reporter, signal) : undefined;
    return { check, ...(remediation ? { remediation } : {}) };
  } finally {
    await lock.release();
  }
}

/** Checks an environment's stacks for drift; changes nothing. The caller holds the lock. */
export async function checkDrift(workspace: Workspace, request: DriftRequest, reporter: RunReporter, signal?: AbortSignal): Promise<DriftCheck> {
  const env = loadEnvironment(request.env, { dir: workspace.environmentsDir });
  const plan = planRun(env, { operation: "preview", layers: request.layers });
  reporter.say(`checking ${plan.stacks.length} stack(s) of ${env.name} for drift (refresh preview + program preview, ${request.parallel} at a time)`);
  const fingerprints = fingerprintSources(workspace.root, env);
  const history = await workspace.history.read({ env: env.name });
  const markers = await workspace.engine.stateMarkers();
  const facts = {
    ...fingerprints,
    lastUps: lastUps(history),
    markers,
    interrupted: new Set(interruptedStacks(await workspace.history.starts({ env: env.name }), history).keys()),
    locked: (stack: StackId) => workspace.engine.stackLocked(stack),
  };
  const report = await detectDrift(workspace.engine, env.name, plan.stacks, request.parallel, signal, (stack) => provablyUnchanged(stack, facts));
  return { env: env.name, stacks: plan.stacks, report };
}

/**
 * For the drifted stacks only: `refresh` accepts reality into state, `up` puts reality back to
 * the code; then checks them again. Undefined when nothing drifted or the check itself failed.
 * The caller holds the environment's lock.
 */
export async function remediateDrift(workspace: Workspace, check: DriftCheck, how: "refresh" | "up", parallel: number, reporter: RunReporter, signal?: AbortSignal): Promise<Remediation | undefined> {
  const drifted = driftedStacks(check.report);
  if (drifted.length === 0 || verdict(check.report) === "error") return undefined;
  const stacks = check.stacks.filter((s) => drifted.includes(s.name));
  reporter.say(`remediating ${drifted.join(", ")} with ${how === "refresh" ? "refresh (accept reality into state)" : "up --refresh (put reality back to the code)"}`);
  const run = await operate(workspace, how, { env: check.env, layers: stacks.map((s) => s.layer), parallel, force: true, refresh: how === "up", lockHeld: true }, reporter, signal);
  const after = await detectDrift(workspace.engine, check.env, stacks, parallel, signal);
  return { record: run.record, after };
}
