import { expect } from "chai";
import { ConfigError } from "../../../environments/config-error";
import { loadEnvironment } from "../../../environments/load";
import { environmentFiles } from "../../support/environment-files";

function load(gates: string) {
  const files = environmentFiles({ "gated.yaml": `extends: valid\ngates:\n${gates}` });
  try {
    return loadEnvironment("gated", { dir: files.dir });
  } finally {
    files.dispose();
  }
}

function issues(gates: string): { path: string; message: string; file: string }[] {
  try {
    load(gates);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => ({ path: i.path, message: i.message, file: i.file }));
    throw error;
  }
  throw new Error("loaded without error");
}

describe("environment gates settings", () => {
  it("reads soak, metric checks and windows, with durations in milliseconds and every window named", () => {
    const env = load(
      [
        "  requiredSoak: 30m",
        "  metricChecks:",
        "    - { name: error-rate, prometheus: http://127.0.0.1:9090, query: 'sum(rate(errors[1m]))', comparison: '<', threshold: 0.05, count: 3, interval: 10s, failureLimit: 1 }",
        "  windows:",
        "    allow: [{ days: [mon, tue], start: '09:00', end: '17:00', timeZone: Europe/Berlin }]",
        "    freezes: [{ name: year-end, from: '2026-12-20', until: '2027-01-04T09:00', timeZone: America/New_York }]",
      ].join("\n"),
    );
    expect(env.gates.requiredSoakMs).to.equal(30 * 60_000);
    expect(env.gates.metricChecks[0]).to.deep.include({ name: "error-rate", intervalMs: 10_000, count: 3, failureLimit: 1, inconclusiveLimit: 0, comparison: "<" });
    expect(env.gates.windows.allow[0]!.name).to.equal("allow mon,tue 09:00-17:00 Europe/Berlin");
    expect(env.gates.windows.freezes[0]!.name).to.equal("year-end");
  });

  it("an environment without gates has no soak, no checks and no windows", () => {
    const files = environmentFiles();
    try {
      expect(loadEnvironment("valid", { dir: files.dir }).gates).to.deep.equal({ requiredSoakMs: 0, metricChecks: [], windows: { allow: [], deny: [], freezes: [] } });
    } finally {
      files.dispose();
    }
  });

  const cases: [string, string, string, RegExp][] = [
    ["a duration without a unit", "  requiredSoak: '30'", "gates.requiredSoak", /expected a duration such as "30m"/],
    ["an unknown time zone", "  windows: { deny: [{ days: [fri], start: '15:00', end: '24:00', timeZone: Europe/Berlln }] }", "gates.windows.deny.0.timeZone", /IANA time zone/],
    ["a day that is not a weekday", "  windows: { allow: [{ days: [funday], start: '09:00', end: '17:00', timeZone: UTC }] }", "gates.windows.allow.0.days.0", /expected a day: sun, mon/],
    ["a clock time out of range", "  windows: { allow: [{ days: [mon], start: '25:00', end: '17:00', timeZone: UTC }] }", "gates.windows.allow.0.start", /HH:MM/],
    ["a freeze that ends before it starts", "  windows: { freezes: [{ name: x, from: '2026-12-20', until: '2026-12-01', timeZone: UTC }] }", "gates.windows.freezes.0.until", /is not after from/],
    ["a comparison Prometheus checks cannot make", "  metricChecks: [{ name: x, prometheus: http://p:9090, query: up, comparison: '==', threshold: 1 }]", "gates.metricChecks.0.comparison", /expected a comparison: < <= > >=/],
    ["a failure limit that tolerates every measurement", "  metricChecks: [{ name: x, prometheus: http://p:9090, query: up, comparison: '>', threshold: 0, count: 2, failureLimit: 2 }]", "gates.metricChecks.0.failureLimit", /expected failureLimit < count/],
    ["an unknown key", "  requiredSoke: 30m", "gates.requiredSoke", /did you mean "requiredSoak"/],
  ];
  for (const [what, yaml, field, message] of cases) {
    it(`refuses ${what}, naming the file and ${field}`, () => {
      const found = issues(yaml);
      const issue = found.find((i) => i.path === field && message.test(i.message));
      expect(issue, JSON.stringify(found)).to.not.equal(undefined);
      expect(issue!.file).to.match(/gated\.yaml$/);
    });
  }
});
