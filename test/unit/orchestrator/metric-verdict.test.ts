import { expect } from "chai";
import type { MetricCheck } from "../../../environments/gates";
import { measure, metricVerdict, type Measurement } from "../../../orchestrator/plan/metric-verdict";

const check: MetricCheck = { name: "latency", prometheus: "http://p:9090", query: "p99", comparison: "<=", threshold: 0.5, count: 4, intervalMs: 1000, failureLimit: 1, inconclusiveLimit: 1 };
const at = "2026-12-05T00:00:00Z";
const pass: Measurement = measure(check, 0.5, at);
const fail: Measurement = measure(check, 0.9, at);
const unknown: Measurement = { kind: "inconclusive", reason: "no answer", at };

describe("metric check verdict", () => {
  it("measures with the comparison and threshold: <= passes at the threshold itself", () => {
    expect(pass.kind).to.equal("passed");
    expect(fail.kind).to.equal("failed");
    expect(measure({ ...check, comparison: ">" }, 0.5, at).kind).to.equal("failed");
  });

  it("waits for every measurement before passing", () => {
    expect(metricVerdict(check, [pass, pass, pass])).to.equal(undefined);
    expect(metricVerdict(check, [pass, pass, pass, pass])?.passed).to.equal(true);
  });

  it("passes with failures and inconclusives each within their limits", () => {
    const result = metricVerdict(check, [pass, fail, unknown, pass]);
    expect(result?.passed).to.equal(true);
    expect(result?.reason).to.contain("2 of 4 measurement(s) met p99 <= 0.5 (1 failed, 1 inconclusive, within limits)");
  });

  it("fails as soon as failures pass their limit, without waiting for the rest", () => {
    expect(metricVerdict(check, [fail, fail])).to.deep.include({ passed: false, reason: "latency: 2 of 2 measurement(s) failed (limit 1): expected p99 <= 0.5, measured 0.9, 0.9" });
  });

  it("fails when too many measurements could not be taken, never counting them as passes", () => {
    expect(metricVerdict(check, [unknown, pass, unknown])).to.deep.include({ passed: false, reason: "latency: 2 measurement(s) inconclusive (limit 1), last: no answer" });
  });
});
