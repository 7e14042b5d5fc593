import { expect } from "chai";
import { checkCapacity, formatCapacityReport } from "../../../environments/capacity";
import { loadEnvironment } from "../../../environments/load";
import type { EnvironmentSpec } from "../../../environments/model";
import { parseCpu, parseMemory } from "../../../environments/quantity";

describe("resource quantities", () => {
  const cpu: [string, number | undefined][] = [["250m", 250], ["2", 2000], ["0.5", 500], ["1930m", 1930], ["2 cores", undefined], ["", undefined]];
  const memory: [string, number | undefined][] = [["512Mi", 512 * 2 ** 20], ["4Gi", 4 * 2 ** 30], ["1G", 1e9], ["128974848", 128974848], ["1.5Gi", 1.5 * 2 ** 30], ["4GB", undefined]];
  for (const [text, expected] of cpu) it(`reads cpu ${JSON.stringify(text)} as ${expected}`, () => expect(parseCpu(text)).to.equal(expected));
  for (const [text, expected] of memory) it(`reads memory ${JSON.stringify(text)} as ${expected}`, () => expect(parseMemory(text)).to.equal(expected));
});

describe("capacity check", () => {
  it("sums requests times replicas of enabled components only", () => {
    const local = loadEnvironment("local");
    const report = checkCapacity(local);
    // foundation on local: metrics-server alone (100m, 200Mi), the cloud add-ons are disabled.
    expect(report.perLayer.foundation).to.deep.equal({ cpuMillis: 100, memoryBytes: 200 * 2 ** 20 });
    expect(report.fits).to.equal(true);
  });

  it("fits prod at its desired size", () => {
    const report = checkCapacity(loadEnvironment("prod"));
    expect(report.fits).to.equal(true);
    expect(report.fitsDesired).to.equal(true);
  });

  it("fails an environment whose cluster cannot hold the platform, saying what to change", () => {
    const prod = loadEnvironment("prod");
    const tiny: EnvironmentSpec = { ...prod, cluster: { ...prod.cluster, maxNodes: 1, desiredNodes: 1, minNodes: 1 } };
    const report = checkCapacity(tiny);
    expect(report.fits).to.equal(false);
    expect(formatCapacityReport(report)).to.include("does NOT fit even at maxNodes: raise cluster.maxNodes");
  });

  it("leaves disabled layers out", () => {
    const dev = loadEnvironment("dev");
    const withoutData: EnvironmentSpec = { ...dev, layers: { ...dev.layers, data: { ...dev.layers.data, enabled: false } } };
    expect(checkCapacity(withoutData).perLayer.data).to.equal(undefined);
    expect(checkCapacity(withoutData).requested.cpuMillis).to.be.lessThan(checkCapacity(dev).requested.cpuMillis);
  });
});
