import type { NotificationEventKind } from "../../environments/notifications";
import type { DriftReport } from "../model/drift-report";
import type { PromotionReport } from "../model/promotion-report";
import type { Hold } from "../model/hold";
import type { BreakGlass, RunRecord } from "../model/run-record";

/** Something worth telling people about, with what a message needs. */
export interface NotificationEvent {
  readonly kind: NotificationEventKind;
  readonly env: string;
  /** The run, drift check or promotion it is about; with the kind, it makes the idempotency key. */
  readonly subject: string;
  readonly result: string;
  readonly stacks: readonly string[];
  /** One short line: the first error, the drifted resources, the failed gate. */
  readonly reason: string;
  readonly at: string;
}

const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 300);

/**
 * A failed run, or a run that succeeded on stacks whose previous run of the same operation
 * failed (recovered). `earlier` is the environment's history before this run. Pure.
 */
export function runEvents(run: RunRecord, earlier: readonly RunRecord[]): NotificationEvent[] {
  // A preview changes nothing and fails on purpose in review (policy, diff checks): not news for an environment's channel.
  if (run.operation === "preview") return [];
  const base = { env: run.env, subject: run.id, at: run.finishedAt };
  if (run.status === "failed") {
    const failed = run.stacks.filter((s) => s.outcome.status === "failed");
    const skipped = run.stacks.filter((s) => s.outcome.status === "skipped" && s.outcome.reason.kind === "dependency-failed").map((s) => s.stack.name);
    const first = failed[0]?.outcome;
    const reason = `${first?.status === "failed" ? `${failed[0]!.stack.name}: ${firstLine(first.error)}` : "a dependency failed"}${skipped.length ? ` (skipped: ${skipped.join(", ")})` : ""}`;
    return [{ ...base, kind: "run-failed", result: `${run.operation} failed`, stacks: failed.map((s) => s.stack.name), reason }];
  }
  if (run.status !== "succeeded") return [];
  const recovered = run.stacks
    .filter((s) => s.outcome.status === "succeeded" || s.outcome.status === "unchanged")
    .filter((s) => lastResult(earlier, s.stack.name, s.operation) === "failed")
    .map((s) => s.stack.name);
  return recovered.length === 0 ? [] : [{ ...base, kind: "run-recovered", result: `${run.operation} succeeded`, stacks: recovered, reason: `succeeded after a failed ${run.operation}` }];
}

function lastResult(runs: readonly RunRecord[], stack: string, operation: string): string | undefined {
  for (let i = runs.length - 1; i >= 0; i--) {
    const found = runs[i]!.stacks.find((s) => s.stack.name === stack && s.operation === operation && s.outcome.status !== "skipped");
    if (found) return found.outcome.status;
  }
  return undefined;
}

/** Drift found by a check: the stacks and their drifted resources. Pure. */
export function driftEvents(report: DriftReport): NotificationEvent[] {
  const drifted = report.stacks.filter((s) => s.drift.length > 0 || s.pending.length > 0);
  if (drifted.length === 0) return [];
  const resources = drifted.flatMap((s) => s.drift.map((r) => `${r.type.split(":").at(-1)} ${r.name}`));
  const pending = drifted.reduce((n, s) => n + s.pending.length, 0);
  const reason = [resources.length ? `changed outside Pulumi: ${resources.slice(0, 5).join(", ")}${resources.length > 5 ? ` and ${resources.length - 5} more` : ""}` : "", pending ? `${pending} change(s) pending from code or config` : ""]
    .filter(Boolean)
    .join("; ");
  return [{ kind: "drift-found", env: report.env, subject: `drift-${report.env}-${report.checkedAt}`, result: "drift", stacks: drifted.map((s) => s.stack), reason, at: report.checkedAt }];
}

/** The end of a promotion: promoted, refused (a gate or approval), or rolled back. Pure. */
export function promotionEvents(report: PromotionReport, at = new Date().toISOString()): NotificationEvent[] {
  const stacks = report.stacks.filter((s) => s.changes.length > 0).map((s) => s.target);
  const base = { env: report.target, subject: report.id, stacks, at };
  const from = `from ${report.source}`;
  switch (report.result) {
    case "promoted":
      return [{ ...base, kind: "promoted", result: "promoted", reason: `${from}${report.approver ? `, approved by ${report.approver}` : ""}${costNote(report)}` }];
    case "refused": {
      const gate = report.gates.find((g) => !g.passed);
      return [{ ...base, kind: "promotion-refused", result: "refused", reason: `${from}: ${gate ? `${gate.gate} gate failed: ${gate.reason}` : "refused"}` }];
    }
    case "rolled-back":
    case "rollback-failed":
      return [{ ...base, kind: "promotion-rolled-back", result: report.result, reason: `${from}: ${report.rollback?.reason ?? "apply or verification failed"}` }];
    default:
      return [];
  }
}

/** Approval is being asked for: sent before the prompt (or the refusal in CI), so an approver hears of it. */
export function awaitingApprovalEvent(source: string, target: string, summary: string, subject: string): NotificationEvent {
  return { kind: "promotion-awaiting-approval", env: target, subject, result: "awaiting approval", stacks: [], reason: `${summary}; approve with: npm run promote -- ${source} ${target} --approve --approver <you>`, at: new Date().toISOString() };
}

/** The promotion's monthly cost change, for the message: `; cost +USD 21.90/month (list prices of 2025-01-15)`. */
function costNote(report: PromotionReport): string {
  if (!report.cost) return "";
  const { delta } = report.cost;
  const sign = delta.total.delta < 0 ? "-" : "+";
  const layers = delta.layers.map((l) => `${l.layer} ${l.delta < 0 ? "-" : "+"}${Math.abs(l.delta).toFixed(2)}`).join(", ");
  return `; estimated cost ${sign}${delta.currency} ${Math.abs(delta.total.delta).toFixed(2)}/month${layers ? ` (${layers})` : ""} at ${report.cost.prices}`;
}

/** A run or promotion that went ahead outside its change windows. Pure. */
export function breakGlassEvent(env: string, subject: string, what: string, breakGlass: BreakGlass, stacks: readonly string[] = [], at = new Date().toISOString()): NotificationEvent {
  return { kind: "break-glass", env, subject: `break-glass-${subject}`, result: `${what} outside its change windows`, stacks, reason: `by ${breakGlass.by} during ${breakGlass.window}: ${breakGlass.reason}`, at };
}

/** An environment held: promotions into it are refused until `promote release-hold`. Pure. */
export function holdEvent(hold: Hold): NotificationEvent {
  return { kind: "environment-held", env: hold.env, subject: `hold-${hold.env}-${hold.since}`, result: "held", stacks: [], reason: `${hold.reason}; release with npm run promote -- release-hold ${hold.env}`, at: hold.since };
}
