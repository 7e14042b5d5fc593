import * as path from "node:path";
import { JsonLines } from "../history/jsonl";
import type { PromotionReport } from "../model/promotion-report";
import type { PromotionUndo } from "../promote/promote";

/** One line of a fleet promotion's record: it started, a member finished its promotion, or the whole fleet was promoted. */
export type FleetPromotionEntry =
  | { readonly kind: "start"; readonly id: string; readonly source: string; readonly fleet: string; readonly startedAt: string }
  | { readonly kind: "member"; readonly id: string; readonly member: string; readonly result: PromotionReport["result"] | "failed"; readonly promotion?: string; readonly error?: string; readonly undo?: PromotionUndo }
  | { readonly kind: "end"; readonly id: string; readonly result: "promoted" | "superseded" };

export function fleetPromotionRecord(dataDir: string): JsonLines<FleetPromotionEntry> {
  return new JsonLines<FleetPromotionEntry>(path.join(dataDir, "fleet-promotions.jsonl"));
}

/** A member whose release is in place: promoted now or already running it. */
export function memberDone(result: PromotionReport["result"] | "failed"): boolean {
  return result === "promoted" || result === "nothing-to-promote";
}

export interface UnfinishedFleetPromotion {
  readonly id: string;
  readonly source: string;
  readonly startedAt: string;
  /** Members whose promotion is done, never to be promoted again by this one. */
  readonly done: ReadonlySet<string>;
}

/** The newest promotion into `fleet` that has not reached its end, with the members it has done; undefined when there is none. */
export function unfinishedFleetPromotion(entries: readonly FleetPromotionEntry[], fleet: string): UnfinishedFleetPromotion | undefined {
  const start = [...entries].reverse().find((entry): entry is Extract<FleetPromotionEntry, { kind: "start" }> => entry.kind === "start" && entry.fleet === fleet);
  if (!start || entries.some((entry) => entry.kind === "end" && entry.id === start.id)) return undefined;
  const done = new Set<string>();
  for (const entry of entries) {
    if (entry.kind !== "member" || entry.id !== start.id) continue;
    if (memberDone(entry.result)) done.add(entry.member);
    else done.delete(entry.member);
  }
  return { id: start.id, source: start.source, startedAt: start.startedAt, done };
}

/** Members the promotion `id` has promoted and not rolled back since, with what puts each back. */
export function promotedMembers(entries: readonly FleetPromotionEntry[], id: string): Map<string, PromotionUndo> {
  const promoted = new Map<string, PromotionUndo>();
  for (const entry of entries) {
    if (entry.kind !== "member" || entry.id !== id) continue;
    if (entry.result === "promoted" && entry.undo) promoted.set(entry.member, entry.undo);
    else if (!memberDone(entry.result)) promoted.delete(entry.member);
  }
  return promoted;
}
