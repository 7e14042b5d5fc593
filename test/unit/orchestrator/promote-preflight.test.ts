import { execFileSync } from "node:child_process";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAYER_NAMES, stackName } from "../../../environments/layers";
import { promote, type PromoteOptions } from "../../../orchestrator/promote/promote";
import { promoteOptions } from "../../support/promote-options";
import type { RunRecord } from "../../../orchestrator/model/run-record";
import { environmentFiles } from "../../support/environment-files";
import { FakeEngine } from "../../support/fake-engine";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

// The target takes its charts from a mirror holding metrics-server 3.12.2, the version the blueprint pins.
const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
const archive = (version: string) => path.join(mirror, `metrics-server-${version}.tgz`);
/** A chart archive Helm can render (it makes no objects): the capacity gate renders what a promotion would install. */
function writeChart(version: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-"));
  fs.mkdirSync(path.join(dir, "metrics-server"));
  fs.writeFileSync(path.join(dir, "metrics-server", "Chart.yaml"), `apiVersion: v2\nname: metrics-server\nversion: ${version}\n`);
  execFileSync("tar", ["czf", archive(version), "-C", dir, "metrics-server"]);
  fs.rmSync(dir, { recursive: true });
}
writeChart("3.12.2");
const files = environmentFiles({ "target.yaml": `extends: base\ncharts: { mirror: ${mirror} }\n`, "bare.yaml": `extends: base\ncharts: { mirror: ${os.tmpdir()}/no-such-mirror }\n` });

/** The source "valid" deployed and clean: every stack up, recorded in history; foundation runs metrics-server `version`. */
async function deployedSource(workspace: TestWorkspace, engine: FakeEngine, version: string): Promise<void> {
  const stacks = LAYER_NAMES.map((layer) => ({ layer, env: "valid", name: stackName(layer, "valid") }));
  for (const stack of stacks) engine.deployed.set(stack.name, {});
  engine.config.set("foundation-valid", { release: { value: JSON.stringify({ components: { metricsServer: { chartVersion: version, values: {} } } }), secret: false } });
  const at = new Date().toISOString();
  const record: RunRecord = {
    id: "deployed", env: "valid", operation: "up", startedAt: at, finishedAt: at, durationMs: 1, user: "u", host: "h", status: "succeeded",
    stacks: stacks.map((stack) => ({ stack, operation: "up", outcome: { status: "succeeded", changes: {} }, durationMs: 1, attempts: 1, fingerprint: "f", notes: [] })),
  };
  await workspace.history.append(record);
}

describe("promote: bad input stops the promotion before anything is touched", () => {
  let engine: FakeEngine;
  let workspace: TestWorkspace;
  beforeEach(() => {
    engine = new FakeEngine();
    workspace = testWorkspace(files.dir, engine);
  });
  afterEach(() => workspace.dispose());
  after(() => [files.dispose, () => fs.rmSync(mirror, { recursive: true })].forEach((dispose) => dispose()));

  const options = promoteOptions;

  async function refusal(changes: Partial<PromoteOptions>): Promise<Error> {
    try {
      await promote(workspace, options(changes));
    } catch (error) {
      return error as Error;
    }
    throw new Error("the promotion was not refused");
  }

  it("refuses an explicit but empty --layers instead of promoting nothing", async () => {
    expect((await refusal({ layers: [] })).message).to.match(/--layers: names no layer/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal([]);
  });

  it("refuses a missing policy pack", async () => {
    expect((await refusal({ policyPacks: [workspace.policyPack, "/no/such/pack"] })).message).to.match(/\/no\/such\/pack: no such directory/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal([]);
  });

  it("refuses a target whose chart mirror lacks a chart its files pin, before any engine call", async () => {
    expect((await refusal({ target: "bare" })).message).to.match(/bare\.yaml: charts\.mirror .* lacks metrics-server 3\.12\.2/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal([]);
  });

  it("refuses a release whose chart version the target's mirror lacks, before writing any target config", async () => {
    await deployedSource(workspace, engine, "3.13.0");
    const history = workspace.touched();
    expect((await refusal({})).message).to.match(/target\.yaml: charts\.mirror .* lacks metrics-server 3\.13\.0; /);
    // Reads only: the passphrase and state checks, the drift check's and the target's settledness (state markers, stack locks, outputs), never a write.
    expect(workspace.engineCalls.filter((call) => !["exists", "diff", "configValue", "passphraseSalt", "unreadableStates", "stateMarkers", "stackLocked", "outputs"].includes(call))).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal(history);
  });

  it("goes ahead when the mirror has the promoted version", async () => {
    writeChart("3.13.0");
    await deployedSource(workspace, engine, "3.13.0");
    const outcome = await promote(workspace, options({}));
    expect(outcome.report.result).to.equal("promoted");
    fs.rmSync(archive("3.13.0"));
  });
});
