import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { staleBuildProblem, staleSource, stampPath, stampSources, type BuildStamp, type SourceStat } from "../../../orchestrator/workspace/build-stamp";

describe("the build stamp: the compiled tree runs only while it matches the source", () => {
  const mark = (size: number, mtimeMs: number, sha256: string) => ({ size, mtimeMs, sha256 });
  const stamp: BuildStamp = { builtAt: "2026-12-05T00:00:00Z", files: { "a.ts": mark(10, 1000, "aaa"), "b.ts": mark(20, 2000, "bbb") } };
  const asBuilt: SourceStat[] = [
    { file: "a.ts", size: 10, mtimeMs: 1000 },
    { file: "b.ts", size: 20, mtimeMs: 2000 },
  ];
  const noHash = (file: string): string => {
    throw new Error(`hashed ${file}, whose time did not change`);
  };

  it("finds nothing stale when every file has the size and time it was built with, without hashing any", () => {
    expect(staleSource(stamp, asBuilt, noHash)).to.equal(undefined);
  });

  it("names a file whose size changed", () => {
    expect(staleSource(stamp, [asBuilt[0]!, { file: "b.ts", size: 21, mtimeMs: 2000 }], noHash)).to.equal("b.ts (changed since the build)");
  });

  it("names a file whose time changed and whose content hash differs", () => {
    expect(staleSource(stamp, [{ file: "a.ts", size: 10, mtimeMs: 1500 }, asBuilt[1]!], () => "other")).to.equal("a.ts (changed since the build)");
  });

  it("keeps a file whose time changed but whose content did not (a checkout, a copy)", () => {
    expect(staleSource(stamp, [{ file: "a.ts", size: 10, mtimeMs: 1500 }, asBuilt[1]!], (file) => (file === "a.ts" ? "aaa" : "x"))).to.equal(undefined);
  });

  it("names a file added since the build and one removed since", () => {
    expect(staleSource(stamp, [...asBuilt, { file: "c.ts", size: 1, mtimeMs: 1 }], noHash)).to.equal("c.ts (added since the build)");
    expect(staleSource(stamp, [asBuilt[0]!], noHash)).to.equal("b.ts (removed since the build)");
  });

  it("names the first changed file in the order of the sources", () => {
    const now = [
      { file: "a.ts", size: 11, mtimeMs: 1000 },
      { file: "b.ts", size: 21, mtimeMs: 2000 },
    ];
    expect(staleSource(stamp, now, noHash)).to.equal("a.ts (changed since the build)");
  });

  describe("of a checkout on disk", () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "build-stamp-"));
      for (const dir of ["orchestrator/cli", "stacks", "components", "environments"]) fs.mkdirSync(path.join(root, dir), { recursive: true });
      fs.writeFileSync(path.join(root, "orchestrator/cli/main.ts"), "export {};\n");
      fs.writeFileSync(path.join(root, "stacks/index.ts"), "export {};\n");
      fs.writeFileSync(path.join(root, "environments/dev.yaml"), "name: dev\n");
      fs.writeFileSync(path.join(root, "tsconfig.json"), "{}\n");
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
    const build = () => {
      fs.mkdirSync(path.dirname(stampPath(root)), { recursive: true });
      fs.writeFileSync(stampPath(root), JSON.stringify(stampSources(root)));
    };

    it("refuses a checkout with no stamp, saying to run npm run build", () => {
      expect(staleBuildProblem(root)).to.match(/^dist\/build-stamp\.json is missing or unreadable.*; run `npm run build`$/);
    });

    it("accepts the sources as stamped, and names an edited one after an edit, saying to run npm run build", () => {
      build();
      expect(staleBuildProblem(root)).to.equal(undefined);
      fs.appendFileSync(path.join(root, "stacks/index.ts"), "// edited\n");
      expect(staleBuildProblem(root)).to.equal("the build in dist/ is stale: stacks/index.ts (changed since the build); run `npm run build`");
    });

    it("stamps TypeScript sources and the compiler settings, not data files the program reads at run time", () => {
      expect(Object.keys(stampSources(root).files)).to.deep.equal(["tsconfig.json", "orchestrator/cli/main.ts", "stacks/index.ts"]);
    });
  });
});
