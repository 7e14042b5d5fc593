import { expect } from "chai";
import { parsePropertyPath, resourceChanges, valueAt, type PreviewStep } from "../../../orchestrator/automation/preview-steps";
import { detectDrift } from "../../../orchestrator/drift/detect";
import { driftedStacks, verdict } from "../../../orchestrator/model/drift-report";
import { driftFindings, renderDriftMarkdown, renderDriftTable } from "../../../orchestrator/drift/render";
import { FakeEngine } from "../../support/fake-engine";

const quotaStep: PreviewStep = {
  op: "update",
  urn: "urn:pulumi:ingress-dev::platform::platform:ingress:IngressLayer$kubernetes:core/v1:ResourceQuota::ingress-ns-quota",
  old: { type: "kubernetes:core/v1:ResourceQuota", outputs: { spec: { hard: { "requests.cpu": "2" } } } },
  new: { type: "kubernetes:core/v1:ResourceQuota", outputs: { spec: { hard: { "requests.cpu": "7" } } } },
  detailedDiff: { 'spec.hard["requests.cpu"]': { diffKind: "update", inputDiff: false } },
};

describe("drift: reading previewed steps", () => {
  it("parses Pulumi property paths", () => {
    expect(parsePropertyPath('spec.hard["requests.cpu"]')).to.deep.equal(["spec", "hard", "requests.cpu"]);
    expect(parsePropertyPath("spec.containers[0].image")).to.deep.equal(["spec", "containers", "0", "image"]);
    expect(valueAt({ a: [{ b: 1 }] }, "a[0].b")).to.equal(1);
    expect(valueAt({ a: 1 }, "a.b.c")).to.equal(undefined);
  });

  it("keeps only changing steps, with each changed property's old and new value", () => {
    const changes = resourceChanges([
      { op: "refresh", urn: "urn:pulumi:s::p::pulumi:pulumi:Stack::p-s" },
      { op: "same", urn: "urn:pulumi:s::p::kubernetes:core/v1:Namespace::ns" },
      quotaStep,
    ]);
    expect(changes).to.deep.equal([
      {
        urn: quotaStep.urn,
        type: "kubernetes:core/v1:ResourceQuota",
        name: "ingress-ns-quota",
        op: "update",
        properties: [{ path: 'spec.hard["requests.cpu"]', kind: "update", old: "2", new: "7" }],
      },
    ]);
  });

  it("reads input values for input diffs and passes the engine's [secret] mask through", () => {
    const [change] = resourceChanges([
      {
        op: "update",
        urn: "urn:pulumi:s::p::kubernetes:core/v1:Secret::token",
        old: { type: "kubernetes:core/v1:Secret", inputs: { stringData: "[secret]" } },
        new: { type: "kubernetes:core/v1:Secret", inputs: { stringData: "[secret]" } },
        detailedDiff: { stringData: { diffKind: "update", inputDiff: true } },
      },
    ]);
    expect(change!.properties[0]).to.deep.include({ old: "[secret]", new: "[secret]" });
  });
});

describe("drift: detection and reports", () => {
  it("checks every stack, separating reality drift from pending code changes; errors are never 'clean'", async () => {
    const engine = new FakeEngine();
    for (const name of ["foundation-dev", "ingress-dev", "data-dev"]) engine.deployed.set(name, {});
    engine.diffs.set("refresh:ingress-dev", resourceChanges([quotaStep]));
    const stacks = (["foundation", "ingress", "data", "mesh"] as const).map((layer) => ({ layer, env: "dev", name: `${layer}-dev` }));
    const report = await detectDrift({ engine, records: engine.records }, "dev", stacks, 2);
    expect(report.stacks.map((s) => [s.stack, s.drift.length, s.pending.length, s.error])).to.deep.equal([
      ["foundation-dev", 0, 0, undefined],
      ["ingress-dev", 1, 0, undefined],
      ["data-dev", 0, 0, undefined],
      ["mesh-dev", 0, 0, "stack is not deployed"],
    ]);
    expect(verdict(report)).to.equal("error");
    expect(verdict({ ...report, stacks: report.stacks.slice(0, 3) })).to.equal("drift");
    expect(verdict({ ...report, stacks: [report.stacks[0]!] })).to.equal("clean");
    expect(driftedStacks(report)).to.deep.equal(["ingress-dev"]);
    expect(engine.calls.filter((c) => c.stack === "ingress-dev").map((c) => c.operation)).to.have.members(["refresh", "preview"]);

    const table = renderDriftTable(report);
    expect(table).to.contain("reality differs from state:").and.contain('spec.hard["requests.cpu"]: 2 -> 7').and.contain("mesh-dev  error: stack is not deployed");
    const markdown = renderDriftMarkdown(report);
    expect(markdown).to.contain('| ingress-dev | reality | `kubernetes:core/v1:ResourceQuota` ingress-ns-quota | update | spec.hard["requests.cpu"] | 2 | 7 |');
    // One line per property, in the table's words: what a promotion's drift gate names.
    expect(driftFindings(report)).to.deep.equal(['ingress-dev: update kubernetes:core/v1:ResourceQuota ingress-ns-quota spec.hard["requests.cpu"]: 2 -> 7']);
  });

  it("reports a stack whose state does not parse as an error without an engine call, and checks the others", async () => {
    const engine = new FakeEngine();
    for (const name of ["foundation-dev", "ingress-dev"]) engine.deployed.set(name, {});
    const stacks = (["foundation", "ingress"] as const).map((layer) => ({ layer, env: "dev", name: `${layer}-dev` }));
    const why = "ingress-dev: its state file /s/ingress-dev.json does not parse (Unexpected end of JSON input); nothing was run on it or written to it";
    const report = await detectDrift({ engine, records: engine.records }, "dev", stacks, 2, undefined, { unreadable: new Map([["ingress-dev", why]]) });
    expect(report.stacks.map((s) => [s.stack, s.error])).to.deep.equal([
      ["foundation-dev", undefined],
      ["ingress-dev", why],
    ]);
    expect(verdict(report)).to.equal("error");
    expect(engine.calls.filter((c) => c.stack === "ingress-dev")).to.deep.equal([]);
  });
});
