import type { Comparison, MetricCheck } from "../../environments/gates";

/** One measurement of a metric check: the value and whether it met the threshold, or why it could not be taken. */
export type Measurement =
  | { readonly kind: "passed" | "failed"; readonly value: number; readonly at: string }
  | { readonly kind: "inconclusive"; readonly reason: string; readonly at: string };

export interface MetricCheckResult {
  readonly check: string;
  readonly passed: boolean;
  readonly measurements: readonly Measurement[];
  readonly reason: string;
}

const COMPARE: Readonly<Record<Comparison, (value: number, threshold: number) => boolean>> = {
  "<": (v, t) => v < t,
  "<=": (v, t) => v <= t,
  ">": (v, t) => v > t,
  ">=": (v, t) => v >= t,
};

/** Whether a value meets the check's threshold. Pure. */
export function measure(check: MetricCheck, value: number, at: string): Measurement {
  return { kind: COMPARE[check.comparison](value, check.threshold) ? "passed" : "failed", value, at };
}

/** Decided as soon as it can be: failed once failures or inconclusives pass their limits, passed when every measurement is in. Pure. */
export function metricVerdict(check: MetricCheck, measurements: readonly Measurement[]): MetricCheckResult | undefined {
  const failed = measurements.filter((m) => m.kind === "failed");
  const inconclusive = measurements.filter((m) => m.kind === "inconclusive");
  const expected = `${check.query} ${check.comparison} ${check.threshold}`;
  const base = { check: check.name, measurements };
  if (failed.length > check.failureLimit) {
    const values = failed.map((m) => (m.kind === "failed" ? m.value : NaN)).join(", ");
    return { ...base, passed: false, reason: `${check.name}: ${failed.length} of ${measurements.length} measurement(s) failed (limit ${check.failureLimit}): expected ${expected}, measured ${values}` };
  }
  if (inconclusive.length > check.inconclusiveLimit) {
    const last = inconclusive[inconclusive.length - 1]!;
    return { ...base, passed: false, reason: `${check.name}: ${inconclusive.length} measurement(s) inconclusive (limit ${check.inconclusiveLimit}), last: ${last.kind === "inconclusive" ? last.reason : ""}` };
  }
  if (measurements.length < check.count) return undefined;
  return { ...base, passed: true, reason: `${check.name}: ${check.count - failed.length - inconclusive.length} of ${check.count} measurement(s) met ${expected} (${failed.length} failed, ${inconclusive.length} inconclusive, within limits)` };
}
