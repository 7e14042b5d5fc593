import * as path from "node:path";
import { expect } from "chai";
import { folderCycles, ruleDrift, violations } from "../support/architecture-rules";
import { relativeImports, sourceFiles, type SourceImport } from "../support/source-imports";

// The rules live in test/support/architecture-rules.ts (top folders, the inner order of orchestrator/, use cases).

const ROOT = path.resolve(__dirname, "../..");
const FOLDERS = ["environments", "components", "stacks", "orchestrator", "policy", "tools", "test"];
const PRODUCT = ["environments/", "components/", "stacks/", "orchestrator/", "policy/", "tools/"];
const skip = (file: string): boolean => file.startsWith("test/fixtures/");

describe("architecture: imports point down the layers", () => {
  const files = sourceFiles(ROOT, FOLDERS, skip);
  const imports = relativeImports(ROOT, FOLDERS, skip);

  it("finds the source tree's relative imports", () => {
    expect(new Set(imports.map((i) => i.file)).size).to.be.greaterThan(80);
    expect(imports.length).to.be.greaterThan(200);
  });

  it("names only folders that exist, and places every file of orchestrator/ in a folder of the inner order", () => {
    expect(ruleDrift(files), "rules out of step with the tree").to.deep.equal([]);
  });

  it("names a rule left behind by a move and a file outside the inner order", () => {
    const moved = [...files.filter((file) => !file.startsWith("orchestrator/locks/")), "orchestrator/helpers.ts"];
    expect(ruleDrift(moved)).to.deep.equal([
      "the rules name orchestrator/locks/, which holds no file",
      "orchestrator/helpers.ts is in no folder of the inner order of orchestrator/; put it in one, or add its folder to ORCHESTRATOR_ORDER",
    ]);
  });

  it("has no import against the direction of the layers", () => {
    expect(violations(imports), "imports against the layers (see README, Architecture)").to.deep.equal([]);
  });

  it("has no cycle between folders anywhere in the product", () => {
    const inProduct = (file: string): boolean => PRODUCT.some((folder) => file.startsWith(folder));
    const product = imports.filter((i) => inProduct(i.file) && inProduct(i.target));
    expect(folderCycles(product), "folders that import each other (see README, Architecture)").to.deep.equal([]);
  });

  it("names the file and the import of a wrong-way import", () => {
    const bad: SourceImport[] = [
      { file: "orchestrator/operate.ts", specifier: "../tools/charts/stand-in-chart", target: "tools/charts/stand-in-chart.ts" },
      { file: "orchestrator/promote/promote.ts", specifier: "../cli/reporter", target: "orchestrator/cli/reporter.ts" },
      { file: "environments/model.ts", specifier: "../orchestrator/model/stack", target: "orchestrator/model/stack.ts" },
      { file: "components/ingress.ts", specifier: "../stacks/context", target: "stacks/context.ts" },
      { file: "orchestrator/drift/check.ts", specifier: "../automation/automation-engine", target: "orchestrator/automation/automation-engine.ts" },
      { file: "orchestrator/plan/plan.ts", specifier: "../run/runner", target: "orchestrator/run/runner.ts" },
      { file: "orchestrator/plan/plan.ts", specifier: "../engine/stack-engine", target: "orchestrator/engine/stack-engine.ts" },
    ];
    expect(violations(bad)).to.deep.equal([
      'orchestrator/operate.ts imports "../tools/charts/stand-in-chart" (tools/charts/stand-in-chart.ts): orchestrator/ may import only environments/, components/, orchestrator/',
      'orchestrator/operate.ts imports "../tools/charts/stand-in-chart" (tools/charts/stand-in-chart.ts): only tools/, test/ may import tools/',
      'orchestrator/promote/promote.ts imports "../cli/reporter" (orchestrator/cli/reporter.ts): only orchestrator/cli/, test/ may import orchestrator/cli/',
      'orchestrator/promote/promote.ts imports "../cli/reporter" (orchestrator/cli/reporter.ts): orchestrator/promote/ (rank 16) may import only orchestrator/model/, orchestrator/engine/, orchestrator/plan/, orchestrator/locks/, orchestrator/history/, orchestrator/backend/, orchestrator/automation/, orchestrator/cluster/, orchestrator/releases/, orchestrator/workspace/, orchestrator/run/, orchestrator/session/, orchestrator/status/, orchestrator/report/, orchestrator/metrics/, orchestrator/notify/, orchestrator/inventory/, orchestrator/operate/, orchestrator/drift/ below it',
      'environments/model.ts imports "../orchestrator/model/stack" (orchestrator/model/stack.ts): environments/ may import only environments/',
      'components/ingress.ts imports "../stacks/context" (stacks/context.ts): components/ may import only environments/, components/',
      'orchestrator/drift/check.ts imports "../automation/automation-engine" (orchestrator/automation/automation-engine.ts): only orchestrator/automation/, orchestrator/workspace/, test/ may import orchestrator/automation/',
      'orchestrator/plan/plan.ts imports "../run/runner" (orchestrator/run/runner.ts): orchestrator/plan/ may import only environments/, orchestrator/model/, orchestrator/plan/',
      'orchestrator/plan/plan.ts imports "../engine/stack-engine" (orchestrator/engine/stack-engine.ts): orchestrator/plan/ may import only environments/, orchestrator/model/, orchestrator/plan/',
    ]);
  });

  it("names the rank, the peer and the entry file of a wrong-way import inside orchestrator/", () => {
    const bad: SourceImport[] = [
      { file: "orchestrator/history/journal.ts", specifier: "../drift/detect", target: "orchestrator/drift/detect.ts" },
      { file: "orchestrator/model/stack.ts", specifier: "../engine/errors", target: "orchestrator/engine/errors.ts" },
      { file: "orchestrator/report/build.ts", specifier: "../metrics/registry", target: "orchestrator/metrics/registry.ts" },
      { file: "orchestrator/promote/promote.ts", specifier: "../drift/detect", target: "orchestrator/drift/detect.ts" },
      { file: "orchestrator/operate/operate.ts", specifier: "../drift/drift", target: "orchestrator/drift/drift.ts" },
      { file: "orchestrator/operate/destroy/blame.ts", specifier: "../../notify/messages", target: "orchestrator/notify/messages.ts" },
      { file: "orchestrator/helpers.ts", specifier: "./model/stack", target: "orchestrator/model/stack.ts" },
      { file: "orchestrator/extra/thing.ts", specifier: "../model/stack", target: "orchestrator/model/stack.ts" },
    ];
    const fine: SourceImport[] = [
      { file: "orchestrator/promote/promote.ts", specifier: "../drift/drift", target: "orchestrator/drift/drift.ts" },
      { file: "orchestrator/drift/drift.ts", specifier: "../status/status", target: "orchestrator/status/status.ts" },
      { file: "orchestrator/cli/drift-command.ts", specifier: "../drift/detect", target: "orchestrator/drift/detect.ts" },
      { file: "orchestrator/run/runner.ts", specifier: "../releases/release-changes", target: "orchestrator/releases/release-changes.ts" },
      { file: "orchestrator/workspace/workspace.ts", specifier: "../automation/automation-engine", target: "orchestrator/automation/automation-engine.ts" },
      { file: "orchestrator/operate/destroy/blame.ts", specifier: "../operate", target: "orchestrator/operate/operate.ts" },
      { file: "orchestrator/model/stack.ts", specifier: "../../environments/layers", target: "environments/layers.ts" },
      { file: "orchestrator/releases/chart-archives.ts", specifier: "../../components/chart-source", target: "components/chart-source.ts" },
    ];
    expect(violations(fine)).to.deep.equal([]);
    expect(violations(bad)).to.deep.equal([
      'orchestrator/history/journal.ts imports "../drift/detect" (orchestrator/drift/detect.ts): orchestrator/history/ (rank 5) may import only orchestrator/model/, orchestrator/engine/, orchestrator/plan/, orchestrator/locks/ below it',
      'orchestrator/model/stack.ts imports "../engine/errors" (orchestrator/engine/errors.ts): orchestrator/model/ (rank 1) may import no other folder of orchestrator/',
      'orchestrator/report/build.ts imports "../metrics/registry" (orchestrator/metrics/registry.ts): orchestrator/report/ (rank 13) may import only orchestrator/model/, orchestrator/engine/, orchestrator/plan/, orchestrator/locks/, orchestrator/history/, orchestrator/backend/, orchestrator/automation/, orchestrator/cluster/, orchestrator/releases/, orchestrator/workspace/, orchestrator/run/, orchestrator/session/ below it; orchestrator/metrics/ is its peer at rank 13',
      'orchestrator/promote/promote.ts imports "../drift/detect" (orchestrator/drift/detect.ts): use cases call each other only through their entry file orchestrator/drift/drift.ts',
      'orchestrator/operate/operate.ts imports "../drift/drift" (orchestrator/drift/drift.ts): orchestrator/operate/ (rank 14) may import only orchestrator/model/, orchestrator/engine/, orchestrator/plan/, orchestrator/locks/, orchestrator/history/, orchestrator/backend/, orchestrator/automation/, orchestrator/cluster/, orchestrator/releases/, orchestrator/workspace/, orchestrator/run/, orchestrator/session/, orchestrator/status/, orchestrator/report/, orchestrator/metrics/, orchestrator/notify/, orchestrator/inventory/ below it',
      'orchestrator/operate/destroy/blame.ts imports "../../notify/messages" (orchestrator/notify/messages.ts): use cases call each other only through their entry file orchestrator/notify/notify.ts',
      'orchestrator/helpers.ts imports "./model/stack" (orchestrator/model/stack.ts): orchestrator/helpers.ts is directly in orchestrator/; put it in a folder of the inner order',
      'orchestrator/extra/thing.ts imports "../model/stack" (orchestrator/model/stack.ts): orchestrator/extra/ is in no rank of the inner order of orchestrator/; add it to ORCHESTRATOR_ORDER',
    ]);
  });

  it("names the folders of a cycle and the imports that make it", () => {
    const imports: SourceImport[] = [
      { file: "orchestrator/run/runner.ts", specifier: "../history/journal", target: "orchestrator/history/journal.ts" },
      { file: "orchestrator/history/journal.ts", specifier: "../locks/environment-lock", target: "orchestrator/locks/environment-lock.ts" },
      { file: "orchestrator/locks/environment-lock.ts", specifier: "../run/retry", target: "orchestrator/run/retry.ts" },
      { file: "orchestrator/run/retry.ts", specifier: "../model/stack", target: "orchestrator/model/stack.ts" },
      { file: "orchestrator/operate/destroy/blame.ts", specifier: "../operate", target: "orchestrator/operate/operate.ts" },
      { file: "orchestrator/operate/operate.ts", specifier: "./destroy/blame", target: "orchestrator/operate/destroy/blame.ts" },
      { file: "orchestrator/model/stack.ts", specifier: "./changes", target: "orchestrator/model/changes.ts" },
    ];
    expect(folderCycles(imports)).to.deep.equal([
      'folders orchestrator/history/, orchestrator/locks/, orchestrator/run/ import each other: orchestrator/history/journal.ts imports "../locks/environment-lock" (orchestrator/locks/environment-lock.ts); orchestrator/locks/environment-lock.ts imports "../run/retry" (orchestrator/run/retry.ts); orchestrator/run/runner.ts imports "../history/journal" (orchestrator/history/journal.ts)',
      'folders orchestrator/operate/, orchestrator/operate/destroy/ import each other: orchestrator/operate/destroy/blame.ts imports "../operate" (orchestrator/operate/operate.ts); orchestrator/operate/operate.ts imports "./destroy/blame" (orchestrator/operate/destroy/blame.ts)',
    ]);
    expect(folderCycles(imports.slice(3))).to.deep.equal([folderCycles(imports)[1]]);
  });
});
