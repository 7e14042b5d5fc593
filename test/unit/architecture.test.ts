import * as path from "node:path";
import { expect } from "chai";
import { relativeImports, type SourceImport } from "../support/source-imports";

const ROOT = path.resolve(__dirname, "../..");
const FOLDERS = ["environments", "components", "stacks", "orchestrator", "policy", "tools", "test"];

const PRODUCT = ["environments/", "components/", "stacks/", "orchestrator/", "policy/"];

/** What each folder may import, from the ground up; the longest matching folder decides. Mirrors the README's Architecture section. */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  "environments/": ["environments/"],
  "policy/": ["policy/"],
  "components/": ["environments/", "components/"],
  "stacks/": ["environments/", "components/", "stacks/"],
  "orchestrator/": ["environments/", "components/", "orchestrator/"],
  // Planning is pure: plain data in, plain data out.
  "orchestrator/plan/": ["environments/", "orchestrator/plan/", "orchestrator/engine.ts"],
  "tools/": [...PRODUCT, "tools/"],
  "test/": [...PRODUCT, "tools/", "test/"],
};

/** Folders only some may import, whatever the importer's own rule allows. */
const IMPORTED_ONLY_BY: Readonly<Record<string, readonly string[]>> = {
  // The CLI is the top: it parses flags and renders; nothing in the product builds on it.
  "orchestrator/cli/": ["orchestrator/cli/", "test/"],
  // The Automation API stays behind engine.ts; only the workspace constructs it.
  "orchestrator/automation/": ["orchestrator/automation/", "orchestrator/workspace.ts", "test/"],
  // Setup, cluster and chart tooling may use the product, never the reverse.
  "tools/": ["tools/", "test/"],
};

function longestMatch(file: string, folders: readonly string[]): string | undefined {
  return folders.filter((folder) => file.startsWith(folder)).sort((a, b) => b.length - a.length)[0];
}

/** Every import that runs against the layers, as "<file> imports "<specifier>" (<target>): <why>". Pure. */
function violations(imports: readonly SourceImport[]): string[] {
  const found: string[] = [];
  for (const { file, specifier, target } of imports) {
    const where = `${file} imports "${specifier}" (${target})`;
    const zone = longestMatch(file, Object.keys(MAY_IMPORT));
    if (!zone) {
      found.push(`${where}: ${file} is in no known folder; add its folder to the rules`);
      continue;
    }
    const allowed = MAY_IMPORT[zone]!;
    if (!longestMatch(target, allowed)) found.push(`${where}: ${zone} may import only ${allowed.join(", ")}`);
    const guarded = longestMatch(target, Object.keys(IMPORTED_ONLY_BY));
    if (guarded && !longestMatch(file, IMPORTED_ONLY_BY[guarded]!)) found.push(`${where}: only ${IMPORTED_ONLY_BY[guarded]!.join(", ")} may import ${guarded}`);
  }
  return found;
}

describe("architecture: imports point down the layers", () => {
  const imports = relativeImports(ROOT, FOLDERS, (file) => file.startsWith("test/fixtures/"));

  it("finds the source tree's relative imports", () => {
    expect(new Set(imports.map((i) => i.file)).size).to.be.greaterThan(80);
    expect(imports.length).to.be.greaterThan(200);
  });

  it("has no import against the direction of the layers", () => {
    expect(violations(imports), "imports against the layers (see README, Architecture)").to.deep.equal([]);
  });

  it("names the file and the import of a wrong-way import", () => {
    const bad: SourceImport[] = [
      { file: "orchestrator/operate.ts", specifier: "../tools/charts/stand-in-chart", target: "tools/charts/stand-in-chart.ts" },
      { file: "orchestrator/promote/promote.ts", specifier: "../cli/reporter", target: "orchestrator/cli/reporter.ts" },
      { file: "environments/model.ts", specifier: "../orchestrator/engine", target: "orchestrator/engine.ts" },
      { file: "components/ingress.ts", specifier: "../stacks/context", target: "stacks/context.ts" },
      { file: "orchestrator/drift/check.ts", specifier: "../automation/automation-engine", target: "orchestrator/automation/automation-engine.ts" },
      { file: "orchestrator/plan/plan.ts", specifier: "../run/runner", target: "orchestrator/run/runner.ts" },
    ];
    expect(violations(bad)).to.deep.equal([
      'orchestrator/operate.ts imports "../tools/charts/stand-in-chart" (tools/charts/stand-in-chart.ts): orchestrator/ may import only environments/, components/, orchestrator/',
      'orchestrator/operate.ts imports "../tools/charts/stand-in-chart" (tools/charts/stand-in-chart.ts): only tools/, test/ may import tools/',
      'orchestrator/promote/promote.ts imports "../cli/reporter" (orchestrator/cli/reporter.ts): only orchestrator/cli/, test/ may import orchestrator/cli/',
      'environments/model.ts imports "../orchestrator/engine" (orchestrator/engine.ts): environments/ may import only environments/',
      'components/ingress.ts imports "../stacks/context" (stacks/context.ts): components/ may import only environments/, components/',
      'orchestrator/drift/check.ts imports "../automation/automation-engine" (orchestrator/automation/automation-engine.ts): only orchestrator/automation/, orchestrator/workspace.ts, test/ may import orchestrator/automation/',
      'orchestrator/plan/plan.ts imports "../run/runner" (orchestrator/run/runner.ts): orchestrator/plan/ may import only environments/, orchestrator/plan/, orchestrator/engine.ts',
    ]);
  });
});
