import { expect } from "chai";
import * as path from "node:path";
import { mirrorContents, resolveChart, type MirrorReader } from "../../../components/chart-source";
import { loadEnvironment } from "../../../environments/load";

const chart = { name: "metrics-server", version: "3.12.2", repository: "https://kubernetes-sigs.github.io/metrics-server" };
const mirror = { kind: "mirror", dir: "/mirror" } as const;

/** A mirror in memory: archive files that exist, and chart directories with the version their Chart.yaml declares (null: none). */
function memoryMirror(archives: readonly string[], directories: Readonly<Record<string, string | null>>): MirrorReader {
  return {
    exists: (file) => archives.includes(path.basename(file)) || path.basename(file) in directories,
    chartVersion: (dir) => directories[path.basename(dir)] ?? undefined,
  };
}

describe("chart source: a mirror entry must be the pinned version", () => {
  it("takes an archive named for the pinned version", () => {
    expect(resolveChart(mirror, chart, memoryMirror(["metrics-server-3.12.2.tgz"], {}))).to.deep.equal({ kind: "local", path: "/mirror/metrics-server-3.12.2.tgz" });
  });
  it("takes a chart directory whose Chart.yaml declares the pinned version, with or without a leading v", () => {
    expect(resolveChart(mirror, chart, memoryMirror([], { "metrics-server": "3.12.2" }))).to.deep.equal({ kind: "local", path: "/mirror/metrics-server" });
    expect(resolveChart(mirror, { ...chart, version: "v3.12.2" }, memoryMirror([], { "metrics-server": "3.12.2" }))).to.deep.equal({ kind: "local", path: "/mirror/metrics-server" });
  });
  it("refuses a chart directory of another version, saying which version it holds", () => {
    expect(() => resolveChart(mirror, chart, memoryMirror([], { "metrics-server": "3.11.0" }))).to.throw(
      /chart metrics-server 3\.12\.2 is not in the chart mirror \/mirror: its directory metrics-server\/ holds version 3\.11\.0 .*npm run charts -- fill/,
    );
  });
  it("refuses a chart directory that declares no version", () => {
    expect(() => resolveChart(mirror, chart, memoryMirror([], { "metrics-server": null }))).to.throw(/metrics-server\/ has no Chart\.yaml version/);
  });
  it("lists a chart whose mirror directory holds another version as missing, with the version it holds", () => {
    const env = loadEnvironment("valid", { dir: path.resolve(__dirname, "../../fixtures/environments") });
    const [entry] = mirrorContents(env, "/mirror", memoryMirror([], { "metrics-server": "3.11.0" }));
    expect(entry).to.deep.include({ chart: "metrics-server", version: "3.12.2", present: false, found: "its directory metrics-server/ holds version 3.11.0" });
  });
});
