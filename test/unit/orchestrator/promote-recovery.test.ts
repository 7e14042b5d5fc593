import { execFileSync } from "node:child_process";
import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAYER_NAMES, stackName } from "../../../environments/layers";
import { loadEnvironment } from "../../../environments/load";
import { promotedRelease, releaseOf, type LayerRelease } from "../../../environments/release";
import type { RunRecord } from "../../../orchestrator/model/run-record";
import { promote } from "../../../orchestrator/promote/promote";
import { promoteOptions } from "../../support/promote-options";
import { promotionSteps, unfinishedPromotions, type PromotionStart } from "../../../orchestrator/promote/promotion-journal";
import { environmentFiles } from "../../support/environment-files";
import { FakeEngine } from "../../support/fake-engine";
import { workspacePerTest, type TestWorkspace } from "../../support/test-workspace";

// The target takes its charts from a mirror holding metrics-server 3.12.2 (the blueprint's) and 3.13.0 (the source's release).
const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
for (const version of ["3.12.2", "3.13.0"]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chart-"));
  fs.mkdirSync(path.join(dir, "metrics-server"));
  fs.writeFileSync(path.join(dir, "metrics-server", "Chart.yaml"), `apiVersion: v2\nname: metrics-server\nversion: ${version}\n`);
  execFileSync("tar", ["czf", path.join(mirror, `metrics-server-${version}.tgz`), "-C", dir, "metrics-server"]);
  fs.rmSync(dir, { recursive: true });
}
const files = environmentFiles({
  "target.yaml": `extends: base\ncharts: { mirror: ${mirror} }\n`,
  "gated.yaml": `extends: base\ncharts: { mirror: ${mirror} }\npromotion: { requiresApproval: true }\n`,
});
const withMetricsServer = (version: string): LayerRelease => ({ components: { metricsServer: { chartVersion: version, values: {} } } });

/** Every stack of `env` deployed and recorded by a successful up; foundation's config holds `release` when given. */
async function deployed(workspace: TestWorkspace, engine: FakeEngine, env: string, release?: LayerRelease): Promise<void> {
  const stacks = LAYER_NAMES.map((layer) => ({ layer, env, name: stackName(layer, env) }));
  for (const stack of stacks) engine.deployed.set(stack.name, { namespace: { value: stack.layer, secret: false } });
  if (release) engine.config.set(`foundation-${env}`, { release: { value: JSON.stringify(release), secret: false } });
  const at = new Date().toISOString();
  const record: RunRecord = {
    id: `deployed-${env}`, env, operation: "up", startedAt: at, finishedAt: at, durationMs: 1, user: "u", host: "h", status: "succeeded",
    stacks: stacks.map((stack) => ({ stack, operation: "up", outcome: { status: "succeeded", changes: {} }, durationMs: 1, attempts: 1, fingerprint: "f", notes: [] })),
  };
  await workspace.history.append(record);
}

/**
 * What a promotion killed after writing the target's config leaves: its checkpoint (the target had
 * no settings file), its start in the promotion steps and the promoted release in the target's config.
 */
function killedPromotion(workspace: TestWorkspace, engine: FakeEngine, target: string): PromotionStart {
  const before = releaseOf(loadEnvironment(target, { dir: files.dir }).layers.foundation);
  const after = promotedRelease(withMetricsServer("3.13.0"), before);
  const checkpoint = path.join(workspace.dataDir, "promotions", "killed");
  fs.mkdirSync(checkpoint, { recursive: true });
  const start: PromotionStart = { kind: "start", id: "killed", source: "valid", target, startedAt: new Date().toISOString(), checkpoint, stacks: [{ stack: `foundation-${target}`, before, after }] };
  promotionSteps(workspace.dataDir).append(start);
  engine.config.set(`foundation-${target}`, { release: { value: JSON.stringify(after), secret: false } });
  return start;
}

describe("promote: a promotion that never reached its verified end is settled by the next one", () => {
  const fake = workspacePerTest(files.dir);
  after(() => [files.dispose, () => fs.rmSync(mirror, { recursive: true })].forEach((dispose) => dispose()));
  const upsOf = (stack: string) => fake.engine.calls.filter((call) => call.operation === "up" && call.stack === stack).length;

  it("finishes it (applies and verifies its release) though the target's config already holds that release, and records that it did", async () => {
    await deployed(fake.workspace, fake.engine, "valid", withMetricsServer("3.13.0"));
    await deployed(fake.workspace, fake.engine, "target");
    killedPromotion(fake.workspace, fake.engine, "target");

    const outcome = await promote(fake.workspace, promoteOptions({}));
    expect(outcome.report.result).to.equal("promoted");
    expect(outcome.report.recovered).to.deep.include({ promotions: ["killed"], outcome: "finished" });
    expect(outcome.report.recovered!.stacks.map((s) => s.stack)).to.deep.equal(["foundation-target"]);
    expect(upsOf("foundation-target")).to.equal(1);
    expect(outcome.report.stacks.find((s) => s.target === "foundation-target")!.changes.map((c) => c.field)).to.include("chartVersion");
    expect(unfinishedPromotions(promotionSteps(fake.workspace.dataDir).readAll(), "target")).to.deep.equal([]);
    expect(fs.readFileSync(outcome.changelogFile, "utf8")).to.contain("promotion killed: **finished**");
  });

  it("rolls it back when this promotion is refused: the target's config from before it is restored and applied again", async () => {
    await deployed(fake.workspace, fake.engine, "valid", withMetricsServer("3.13.0"));
    await deployed(fake.workspace, fake.engine, "gated");
    killedPromotion(fake.workspace, fake.engine, "gated");

    const outcome = await promote(fake.workspace, promoteOptions({ target: "gated" }));
    expect(outcome.report.result).to.equal("refused");
    expect(outcome.report.gates.find((g) => !g.passed)!.gate).to.equal("approval");
    expect(outcome.report.recovered).to.deep.include({ promotions: ["killed"], outcome: "rolled-back" });
    expect(fake.engine.config.get("foundation-gated")?.release, "the target had no release config before the killed promotion").to.equal(undefined);
    expect(upsOf("foundation-gated")).to.equal(1);
    expect(unfinishedPromotions(promotionSteps(fake.workspace.dataDir).readAll(), "gated")).to.deep.equal([]);
  });

  it("says nothing to promote only when no promotion into the target is unfinished", async () => {
    await deployed(fake.workspace, fake.engine, "valid", withMetricsServer("3.13.0"));
    await deployed(fake.workspace, fake.engine, "target");
    expect((await promote(fake.workspace, promoteOptions({}))).report.result).to.equal("promoted");
    const again = await promote(fake.workspace, promoteOptions({}));
    expect(again.report.result).to.equal("nothing-to-promote");
    expect(again.report.recovered).to.equal(undefined);
  });
});

describe("promote: the promotion steps", () => {
  const start = (id: string, target: string): PromotionStart => ({ kind: "start", id, source: "s", target, startedAt: "t", checkpoint: "/c", stacks: [] });
  const end = (id: string, result: "promoted" | "rollback-failed", settles: string[] = []) => ({ kind: "end" as const, id, target: "t", endedAt: "t", result, settles });

  it("a start without an end, or settled by none, is unfinished; a failed rollback does not end it", () => {
    const steps = [start("a", "t"), end("a", "promoted"), start("b", "t"), start("c", "other"), start("d", "t"), end("d", "rollback-failed"), start("e", "t"), start("f", "t"), end("f", "promoted", ["e"])];
    expect(unfinishedPromotions(steps, "t").map((s) => s.id)).to.deep.equal(["b", "d"]);
  });
});
