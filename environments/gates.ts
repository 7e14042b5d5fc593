/** Per-environment gates on changes: soak before promotion, metric checks in verification, change windows. */

export const WEEKDAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const COMPARISONS = ["<", "<=", ">", ">="] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** A Prometheus query measured `count` times, `intervalMs` apart; a measurement passes when `value <comparison> threshold`. */
export interface MetricCheck {
  readonly name: string;
  /** Base URL of the Prometheus HTTP API, e.g. http://prometheus.observability:9090. */
  readonly prometheus: string;
  /** PromQL; its first sample is the measurement. */
  readonly query: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly count: number;
  readonly intervalMs: number;
  /** Failed measurements tolerated; one more fails the check. */
  readonly failureLimit: number;
  /** Measurements that could not be taken (no answer, an error, no sample) tolerated; one more fails the check. */
  readonly inconclusiveLimit: number;
}

/** A weekly window: on `days`, from `start` to `end` (HH:MM, local to `timeZone`); an end before the start runs past midnight. */
export interface WeeklyWindow {
  readonly name: string;
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
  readonly timeZone: string;
}

/** A dated freeze: no changes from `from` until `until` (local date-times in `timeZone`). */
export interface Freeze {
  readonly name: string;
  readonly from: string;
  readonly until: string;
  readonly timeZone: string;
}

/** When changes may run: inside an `allow` window (when any is given), and never in a `deny` window or a freeze. */
export interface ChangeWindows {
  readonly allow: readonly WeeklyWindow[];
  readonly deny: readonly WeeklyWindow[];
  readonly freezes: readonly Freeze[];
}

export interface GateSettings {
  /** How long the source must have run a release healthy before it may be promoted; 0 for no soak. */
  readonly requiredSoakMs: number;
  readonly metricChecks: readonly MetricCheck[];
  readonly windows: ChangeWindows;
}

export const NO_GATES: GateSettings = { requiredSoakMs: 0, metricChecks: [], windows: { allow: [], deny: [], freezes: [] } };
