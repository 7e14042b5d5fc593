import { expect } from "chai";
import type { MetricCheck } from "../../environments/gates";
import { runMetricCheck } from "../../orchestrator/promote/metric-checks";
import { freePort } from "../../tools/cluster/processes";
import { ERROR_RATIO_QUERY, startPrometheus, type TestPrometheus } from "../support/prometheus-server";

describe("metric checks against a real Prometheus scraping a real target", function () {
  this.timeout(120_000);
  let prometheus: TestPrometheus;
  const check = (over: Partial<MetricCheck> = {}): MetricCheck => ({
    name: "error-rate",
    prometheus: prometheus.url,
    query: ERROR_RATIO_QUERY,
    comparison: "<",
    threshold: 0.05,
    count: 3,
    intervalMs: 200,
    failureLimit: 0,
    inconclusiveLimit: 0,
    ...over,
  });

  before(async () => {
    prometheus = await startPrometheus();
  });
  after(async () => {
    await prometheus?.dispose();
  });

  it("passes when every measurement is below the threshold", async () => {
    prometheus.setErrorRatio(0.01);
    await prometheus.scraped(0.01);
    const result = await runMetricCheck(check());
    expect(result.passed, result.reason).to.equal(true);
    expect(result.measurements.map((m) => m.kind)).to.deep.equal(["passed", "passed", "passed"]);
    expect(result.measurements.map((m) => (m.kind === "passed" ? m.value : undefined))).to.deep.equal([0.01, 0.01, 0.01]);
  });

  it("fails at the first measurement past the failure limit once the threshold is crossed, and says the value", async () => {
    prometheus.setErrorRatio(0.2);
    await prometheus.scraped(0.2);
    const result = await runMetricCheck(check({ count: 5, failureLimit: 1 }));
    expect(result.passed).to.equal(false);
    expect(result.measurements).to.have.length(2);
    expect(result.reason).to.equal(`error-rate: 2 of 2 measurement(s) failed (limit 1): expected ${ERROR_RATIO_QUERY} < 0.05, measured 0.2, 0.2`);
  });

  it("counts a query Prometheus rejects as inconclusive, and fails when inconclusives pass their limit", async () => {
    const result = await runMetricCheck(check({ query: "sum(rate(", count: 3, inconclusiveLimit: 1 }));
    expect(result.passed).to.equal(false);
    expect(result.measurements.map((m) => m.kind)).to.deep.equal(["inconclusive", "inconclusive"]);
    expect(result.reason).to.match(/2 measurement\(s\) inconclusive \(limit 1\), last: .* answered 400: .*parse error/);
  });

  it("counts an unreachable Prometheus as inconclusive, not as a pass or a failure", async () => {
    const nobody = `http://127.0.0.1:${await freePort()}`;
    const result = await runMetricCheck(check({ prometheus: nobody, count: 2, inconclusiveLimit: 0 }));
    expect(result.passed).to.equal(false);
    expect(result.measurements[0]).to.deep.include({ kind: "inconclusive" });
    expect(result.reason).to.contain(`${nobody} did not answer`);
  });

  it("counts a query with no sample as inconclusive, naming the query", async () => {
    const result = await runMetricCheck(check({ query: "platform_test_not_exposed", count: 1 }));
    expect(result.passed).to.equal(false);
    expect(result.reason).to.contain("last: query returned no sample: platform_test_not_exposed");
  });
});
