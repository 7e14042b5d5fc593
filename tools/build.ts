import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { COMPILED_DIR } from "../environments/checkout-root";
import { stampPath, stampSources } from "../orchestrator/workspace/build-stamp";

// npm run build: compiles the CLI and the stack program to dist/, with the program's own Pulumi.yaml
// and a stamp of the sources compiled, which the compiled CLI checks before it runs anything.

const root = path.resolve(__dirname, "..");
const dist = path.join(root, COMPILED_DIR);
const started = Date.now();

// Taken before compiling: a source edited while tsc runs then shows as changed, never as built.
const stamp = stampSources(root);
fs.rmSync(stampPath(root), { force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], { stdio: "inherit" });
if (tsc.status !== 0) {
  process.stderr.write("[build] tsc failed; dist/ has no build stamp, so the compiled CLI refuses to run until `npm run build` succeeds\n");
  process.exit(1);
}
removeOrphans(dist);
fs.writeFileSync(path.join(dist, "Pulumi.yaml"), compiledProject(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")));
fs.writeFileSync(stampPath(root), `${JSON.stringify(stamp, null, 1)}\n`);
process.stdout.write(`[build] ${Object.keys(stamp.files).length} sources compiled to ${COMPILED_DIR}/ in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);

/** The root project, running the compiled program: same name (same stacks), config still in the root's Pulumi.<stack>.yaml. */
function compiledProject(source: string): string {
  const project = parse(source) as { name: string; description?: string; main: string };
  return stringify({
    name: project.name,
    description: project.description,
    runtime: { name: "nodejs", options: { typescript: false } },
    main: project.main.replace(/\.ts$/, ".js"),
    stackConfigDir: "..",
  });
}

/** Compiled files whose source is gone: left behind, a lazily loaded one could still run. */
function removeOrphans(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) removeOrphans(file);
    else if (/\.js(\.map)?$/.test(entry.name) && !fs.existsSync(path.join(root, path.relative(dist, file)).replace(/\.js(\.map)?$/, ".ts"))) fs.rmSync(file);
  }
}
