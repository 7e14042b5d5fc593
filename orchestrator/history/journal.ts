import * as path from "node:path";
import type { DriftReport } from "../model/drift-report";
import type { PromotionReport } from "../model/promotion-report";
import { JsonLines } from "./jsonl";

/** One drift check, kept as resource names and counts only: property values stay out of history. */
export interface DriftEntry {
  readonly env: string;
  readonly checkedAt: string;
  readonly stacks: readonly {
    readonly stack: string;
    readonly state: "clean" | "drift" | "pending" | "error";
    /** Resources whose reality differs from state, as `type name (op)`. */
    readonly drifted: readonly string[];
    readonly pending: number;
    readonly error?: string;
  }[];
}

/** One promotion: its result, gates and approver. */
export interface PromotionEntry {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly startedAt: string;
  readonly result: PromotionReport["result"];
  readonly approver?: string;
  readonly gates: PromotionReport["gates"];
  /** Target stacks whose release changed, with their chart versions after the promotion. */
  readonly stacks: readonly { readonly stack: string; readonly charts: Readonly<Record<string, string>> }[];
  readonly changelog?: string;
  /** Earlier promotions that never reached their verified end, and what this one did with them. */
  readonly recovered?: { readonly promotions: readonly string[]; readonly outcome: string };
}

/** One notification sent (or not) to one named destination; never the destination's URL. */
export interface DeliveryEntry {
  readonly at: string;
  readonly env: string;
  readonly event: string;
  readonly destination: string;
  readonly idempotencyKey: string;
  readonly delivered: boolean;
  readonly attempts: number;
  readonly error?: string;
  /** The run, drift check or promotion it was about. */
  readonly subject?: string;
}

export function driftEntry(report: DriftReport): DriftEntry {
  return {
    env: report.env,
    checkedAt: report.checkedAt,
    stacks: report.stacks.map((s) => ({
      stack: s.stack,
      state: s.error ? "error" : s.drift.length > 0 ? "drift" : s.pending.length > 0 ? "pending" : "clean",
      drifted: s.drift.map((r) => `${r.type} ${r.name} (${r.op})`),
      pending: s.pending.length,
      ...(s.error ? { error: s.error.split("\n")[0]! } : {}),
    })),
  };
}

export function promotionEntry(report: PromotionReport, changelog?: string): PromotionEntry {
  return {
    id: report.id,
    source: report.source,
    target: report.target,
    startedAt: report.startedAt,
    result: report.result,
    ...(report.approver ? { approver: report.approver } : {}),
    gates: report.gates,
    stacks: report.stacks
      .filter((s) => s.changes.length > 0)
      .map((s) => ({ stack: s.target, charts: Object.fromEntries(Object.entries(s.after.components).map(([name, c]) => [name, c.chartVersion])) })),
    ...(changelog ? { changelog } : {}),
    ...(report.recovered ? { recovered: { promotions: report.recovered.promotions, outcome: report.recovered.outcome } } : {}),
  };
}

/** Drift checks, promotions and notification deliveries, beside the run history. */
export interface Journal {
  readonly drift: JsonLines<DriftEntry>;
  readonly promotions: JsonLines<PromotionEntry>;
  readonly deliveries: JsonLines<DeliveryEntry>;
}

/**
 * The checkout's journal, in `.platform/history` beside a file:// run history. With a shared
 * backend it stays with the checkout: only runs and locks are shared.
 */
export function checkoutJournal(dataDir: string): Journal {
  return openJournal(path.join(dataDir, "history"));
}

export function openJournal(historyDir: string): Journal {
  return {
    drift: new JsonLines(path.join(historyDir, "drift.jsonl")),
    promotions: new JsonLines(path.join(historyDir, "promotions.jsonl")),
    deliveries: new JsonLines(path.join(historyDir, "notifications.jsonl")),
  };
}
