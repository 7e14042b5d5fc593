import { expect } from "chai";
import { criticalPath, findCycle, makeGraph, reverseGraph, topologicalOrder, waves } from "../../../orchestrator/plan/graph";
import { PlanError, planRun } from "../../../orchestrator/plan/plan";
import { renderDot, renderMermaid, renderText } from "../../../orchestrator/plan/render";
import { planningEnv } from "../../support/environments";

const names = (plan: ReturnType<typeof planRun>) => plan.stacks.map((s) => s.layer);

describe("planner", () => {
  it("orders all seven layers foundation first, and waves show what may run together", () => {
    const plan = planRun(planningEnv(), { operation: "up" });
    expect(names(plan)[0]).to.equal("foundation");
    expect(waves(plan.graph)).to.deep.equal([
      ["foundation-dev"],
      ["ingress-dev", "observability-dev"],
      ["gitops-dev", "security-dev", "mesh-dev", "data-dev"],
    ]);
    const order = names(plan);
    for (const late of ["gitops", "security", "mesh", "data"]) {
      expect(order.indexOf(late as never)).to.be.greaterThan(order.indexOf("ingress"));
      expect(order.indexOf(late as never)).to.be.greaterThan(order.indexOf("observability"));
    }
  });

  it("destroy runs the reverse graph: dependents before what they need", () => {
    const plan = planRun(planningEnv(), { operation: "destroy" });
    const order = names(plan);
    expect(order[order.length - 1]).to.equal("foundation");
    expect(order.indexOf("ingress")).to.be.greaterThan(order.indexOf("data"));
    expect(plan.graph.dependencies.get("foundation-dev")).to.have.members(["ingress-dev", "observability-dev", "gitops-dev", "security-dev", "mesh-dev", "data-dev"]);
  });

  it("drops disabled layers", () => {
    const plan = planRun(planningEnv("dev", { data: { enabled: false }, mesh: { enabled: false } }), { operation: "up" });
    expect(names(plan)).to.not.include.members(["data", "mesh"]);
    expect(plan.stacks).to.have.length(5);
  });

  it("fails planning when an enabled layer needs a disabled one, naming file, field and fix", () => {
    expect(() => planRun(planningEnv("dev", { observability: { enabled: false } }), { operation: "up" })).to.throw(
      PlanError,
      "environments/dev.yaml: layers.gitops needs observability, which is disabled; enable layers.observability or disable layers.gitops",
    );
  });

  it("reports a dependency cycle with its path", () => {
    const env = planningEnv("dev", { foundation: { dependsOn: ["data"] } });
    expect(() => planRun(env, { operation: "up" })).to.throw(PlanError, /dependency cycle: .*foundation-dev.*data-dev/);
  });

  it("refuses an explicit but empty --layers for every operation instead of taking all layers", () => {
    for (const operation of ["up", "preview", "refresh", "destroy"] as const) {
      expect(() => planRun(planningEnv(), { operation, layers: [] })).to.throw(PlanError, /--layers: names no layer; name one or more of foundation, ingress, .*or leave --layers out/);
    }
  });
  it("rejects unknown and disabled layers in --layers", () => {
    expect(() => planRun(planningEnv(), { operation: "up", layers: ["network"] })).to.throw(PlanError, /unknown layer "network"; layers are foundation, ingress/);
    expect(() => planRun(planningEnv("dev", { data: { enabled: false } }), { operation: "up", layers: ["data"] })).to.throw(PlanError, /data is disabled in environments\/dev.yaml/);
  });

  it("a subset without dependencies runs only itself and lists what it relies on", () => {
    const plan = planRun(planningEnv(), { operation: "up", layers: ["gitops", "ingress"] });
    expect(names(plan)).to.have.members(["ingress", "gitops"]);
    expect(plan.graph.dependencies.get("gitops-dev")).to.deep.equal(["ingress-dev"]);
    expect(plan.outside).to.have.members(["foundation-dev", "observability-dev"]);
  });

  it("a subset with dependencies takes them in (for destroy: the dependents)", () => {
    expect(names(planRun(planningEnv(), { operation: "up", layers: ["gitops"], withDependencies: true }))).to.have.members(["foundation", "ingress", "observability", "gitops"]);
    expect(names(planRun(planningEnv(), { operation: "destroy", layers: ["observability"], withDependencies: true }))).to.have.members([
      "observability",
      "gitops",
      "security",
      "mesh",
      "data",
    ]);
  });

  it("renders text, Mermaid and DOT", () => {
    const plan = planRun(planningEnv("dev", { data: { enabled: false }, mesh: { enabled: false }, security: { enabled: false } }), { operation: "up" });
    expect(renderText(plan)).to.contain("wave 2: ingress-dev, observability-dev").and.contain("gitops-dev <- foundation-dev, ingress-dev, observability-dev");
    expect(renderMermaid(plan)).to.match(/^graph LR/).and.contain("foundation_dev --> ingress_dev");
    expect(renderDot(plan)).to.contain('"foundation-dev" -> "ingress-dev";').and.match(/^digraph "up-dev" \{/);
  });
});

describe("graph algorithms", () => {
  const graph = makeGraph(
    new Map([
      ["a", []],
      ["b", ["a"]],
      ["c", ["a"]],
      ["d", ["b", "c"]],
    ]),
  );

  it("topological order respects every edge; reverse flips it", () => {
    expect(topologicalOrder(graph)).to.deep.equal(["a", "b", "c", "d"]);
    expect(topologicalOrder(reverseGraph(graph))).to.deep.equal(["d", "b", "c", "a"]);
  });

  it("critical path is the longest chain by duration", () => {
    const durations: Record<string, number> = { a: 1, b: 5, c: 2, d: 1 };
    expect(criticalPath(graph, (n) => durations[n]!)).to.deep.equal({ path: ["a", "b", "d"], total: 7 });
  });

  it("finds cycles iteratively, even in a 100,000-long chain", () => {
    const edges = new Map<string, string[]>();
    for (let i = 0; i < 100_000; i++) edges.set(`n${i}`, i === 0 ? ["n99999"] : [`n${i - 1}`]);
    expect(findCycle({ nodes: [...edges.keys()], dependencies: edges })).to.have.length(100_001);
    edges.set("n0", []);
    expect(findCycle({ nodes: [...edges.keys()], dependencies: edges })).to.equal(undefined);
  });

  it("refuses edges to unknown nodes", () => {
    expect(() => makeGraph(new Map([["a", ["ghost"]]]))).to.throw(/a depends on ghost, which is not in the plan/);
  });
});
