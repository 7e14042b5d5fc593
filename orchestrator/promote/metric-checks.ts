import { setTimeout as delay } from "node:timers/promises";
import type { MetricCheck } from "../../environments/gates";
import type { EnvironmentSpec } from "../../environments/model";
import { measure, metricVerdict, type Measurement, type MetricCheckResult } from "../plan/metric-verdict";

const QUERY_TIMEOUT_MS = 5000;

/** One instant query against the Prometheus HTTP API; anything but one numeric sample is inconclusive. */
export async function takeMeasurement(check: MetricCheck, signal?: AbortSignal): Promise<Measurement> {
  const at = new Date().toISOString();
  const url = `${check.prometheus.replace(/\/$/, "")}/api/v1/query?query=${encodeURIComponent(check.query)}`;
  const inconclusive = (reason: string): Measurement => ({ kind: "inconclusive", reason, at });
  let body: { status?: string; error?: string; data?: { resultType?: string; result?: unknown } };
  try {
    const timeout = AbortSignal.timeout(QUERY_TIMEOUT_MS);
    const response = await fetch(url, { signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    body = (await response.json()) as typeof body;
    if (!response.ok || body.status !== "success") return inconclusive(`${check.prometheus} answered ${response.status}: ${body.error ?? body.status}`);
  } catch (error) {
    return inconclusive(`${check.prometheus} did not answer: ${(error as Error).message}`);
  }
  const value = sampleOf(body.data);
  return value === undefined ? inconclusive(`query returned no sample: ${check.query}`) : Number.isNaN(value) ? inconclusive(`query returned NaN: ${check.query}`) : measure(check, value, at);
}

/** A vector's first sample or a scalar's value, as Prometheus encodes them: [time, "value"]. */
function sampleOf(data: { resultType?: string; result?: unknown } | undefined): number | undefined {
  if (data?.resultType === "scalar") return Number((data.result as [number, string])[1]);
  if (data?.resultType === "vector") {
    const first = (data.result as { value: [number, string] }[])[0];
    return first ? Number(first.value[1]) : undefined;
  }
  return undefined;
}

/** Measures `count` times, `intervalMs` apart, and stops as soon as the verdict is known. */
export async function runMetricCheck(check: MetricCheck, signal?: AbortSignal, onMeasurement?: (m: Measurement) => void): Promise<MetricCheckResult> {
  const measurements: Measurement[] = [];
  for (;;) {
    const measurement = await takeMeasurement(check, signal);
    measurements.push(measurement);
    onMeasurement?.(measurement);
    const verdict = metricVerdict(check, measurements);
    if (verdict) return verdict;
    await delay(check.intervalMs, undefined, { signal });
  }
}

/** The target's metric checks, all at once, each line said as it is measured; none configured is none run. */
export async function runMetricChecks(target: EnvironmentSpec, say: (line: string) => void, signal?: AbortSignal): Promise<MetricCheckResult[]> {
  return Promise.all(
    target.gates.metricChecks.map(async (check) => {
      const result = await runMetricCheck(check, signal, (m) => say(`  metric ${check.name}: ${m.kind}${m.kind === "inconclusive" ? ` (${m.reason})` : ` ${m.value}`}`));
      say(`  verify ${result.passed ? "pass" : "FAIL"} metric ${result.reason}`);
      return result;
    }),
  );
}
