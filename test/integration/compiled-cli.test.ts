import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";

// The CLI and the stack program run compiled (dist/); the root's Pulumi.yaml keeps running the TypeScript source.
describe("the compiled CLI and stack program", function () {
  this.timeout(600_000);
  const checkouts: TempCheckout[] = [];
  const checkout = () => {
    const made = tempCheckout();
    checkouts.push(made);
    return made;
  };
  after(() => checkouts.forEach((made) => made.dispose()));

  /** Runs a shell command in the checkout with its environment (node, pulumi, backend). */
  const shell = (made: TempCheckout, script: string) => made.exec("bash", ["-c", `source tools/env.sh && ${script}`]);

  it("refuses a build older than its source with exit 3, naming the changed file and `npm run build`", async () => {
    const made = checkout();
    fs.appendFileSync(path.join(made.dir, "orchestrator", "plan", "graph.ts"), "// changed after the build\n");
    const result = await made.cli(["graph", "--env", "local"]);
    expect(result.code, result.stdout + result.stderr).to.equal(3);
    expect(result.stderr).to.equal("error: the build in dist/ is stale: orchestrator/plan/graph.ts (changed since the build); run `npm run build`\n");
    expect(result.stdout).to.equal("");
  });

  it("refuses a checkout whose source gained a file since the build, naming it", async () => {
    const made = checkout();
    fs.writeFileSync(path.join(made.dir, "stacks", "extra.ts"), "export {};\n");
    const result = await made.cli(["status", "--env", "local"]);
    expect(result.code).to.equal(3);
    expect(result.stderr).to.contain("stacks/extra.ts (added since the build)").and.contain("run `npm run build`");
  });

  it("runs status from dist/ with neither ts-node nor the Automation API loaded", async () => {
    const made = checkout();
    const loaded = path.join(made.dir, "tmp", "loaded.json");
    const hook = path.join(made.dir, "tmp", "list-modules.js");
    fs.writeFileSync(hook, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const result = await made.exec("bash", ["-c", `NODE_OPTIONS="--require ${hook}" bash tools/cli status --env local`]);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/^status of local\n {2}foundation-local +- +never run/);
    const modules = JSON.parse(fs.readFileSync(loaded, "utf8")) as string[];
    expect(modules).to.include(path.join(made.dir, "dist", "orchestrator", "cli", "main.js"));
    expect(modules.filter((file) => file.endsWith(".ts"))).to.deep.equal([]);
    expect(modules.filter((file) => file.includes(`${path.sep}ts-node${path.sep}`) || file.includes(`${path.sep}typescript${path.sep}`))).to.deep.equal([]);
    expect(modules.filter((file) => file.includes(path.join("@pulumi", "pulumi", "automation")))).to.deep.equal([]);
    // Of the commands, only status was loaded.
    expect(modules.filter((file) => file.includes(path.join("dist", "orchestrator", "cli", "commands")) && !file.endsWith("context.js")).map((file) => path.basename(file))).to.deep.equal(["status.js"]);
  });

  it("keeps a validated environment between runs: the second status, and graph after it, load neither the YAML parser nor the schema, and an edit of the file is validated again", async () => {
    const made = checkout();
    const loaded = path.join(made.dir, "tmp", "loaded.json");
    const hook = path.join(made.dir, "tmp", "list-modules.js");
    fs.writeFileSync(hook, `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const command = (name: string) => made.exec("bash", ["-c", `NODE_OPTIONS="--require ${hook}" bash tools/cli ${name} --env local`]);
    const status = () => command("status");
    const parsers = () => (JSON.parse(fs.readFileSync(loaded, "utf8")) as string[]).filter((file) => /node_modules\/(yaml|zod)\//.test(file)).map((file) => file.replace(/.*node_modules\/([^/]+)\/.*/, "$1"));
    expect((await status()).code).to.equal(0);
    expect([...new Set(parsers())].sort()).to.deep.equal(["yaml", "zod"]);
    const second = await status();
    expect(second.code, second.stderr).to.equal(0);
    expect(parsers()).to.deep.equal([]);
    const graph = await command("graph");
    expect(graph.code, graph.stderr).to.equal(0);
    expect(parsers()).to.deep.equal([]);
    fs.appendFileSync(path.join(made.dir, "environments", "local.yaml"), "regoin: nowhere\n");
    const edited = await status();
    expect(edited.code, edited.stdout).to.equal(3);
    expect(edited.stderr).to.contain("environments/local.yaml").and.contain('unknown key "regoin"');
  });

  it("runs the compiled program in dist/ for the engine calls of the compiled CLI, with stack config in the root's Pulumi.<stack>.yaml", async () => {
    const made = checkout();
    // dist/ is not stamped (only the source is): a marker in the compiled program shows which program the engine ran.
    const compiled = path.join(made.dir, "dist", "stacks", "index.js");
    fs.writeFileSync(compiled, `throw new Error("ran the compiled program in dist/");\n${fs.readFileSync(compiled, "utf8")}`);
    const script = [
      `const { openWorkspace } = require("./dist/orchestrator/workspace/workspace.js");`,
      `const engine = openWorkspace().engine;`,
      `const stack = { layer: "ingress", env: "local", name: "ingress-local" };`,
      `engine.prepare(stack, { probe: { value: "set by the test", secret: false } })`,
      `  .then(() => engine.run("preview", stack))`,
      `  .then(() => console.log("previewed"), (error) => console.log("failed: " + error.message));`,
    ].join("\n");
    const result = await shell(made, `node -e '${script}'`);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.contain("failed: ").and.contain("ran the compiled program in dist/");
    expect(fs.readFileSync(path.join(made.dir, "Pulumi.ingress-local.yaml"), "utf8")).to.contain("platform:probe: set by the test");
    expect(fs.existsSync(path.join(made.dir, "dist", "Pulumi.ingress-local.yaml"))).to.equal(false);
  });

  it("runs the TypeScript source for a plain `pulumi preview` from the root", async () => {
    const made = checkout();
    const source = path.join(made.dir, "stacks", "index.ts");
    fs.writeFileSync(source, `throw new Error("ran the TypeScript source");\n${fs.readFileSync(source, "utf8")}`);
    const result = await shell(made, "pulumi stack init ingress-local --non-interactive >/dev/null && pulumi preview --stack ingress-local --non-interactive 2>&1");
    expect(result.code).to.not.equal(0);
    expect(result.stdout).to.contain("ran the TypeScript source");
  });
});
