import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { loadEnvironment } from "../../environments/load";
import { planFill, type FillSource } from "./fill";
import { mirrorContents } from "../../components/chart-source";

// npm run charts -- check [--env local]: the charts an environment needs and which its mirror lacks (exit 1 if any).
// npm run charts -- fill --from <folder>|upstream [--env local]: copies the pinned archives into the mirror
// from a Helm repository folder (index.yaml + <chart>-<version>.tgz), or pulls them from their repositories.
const USAGE = "usage: npm run charts -- check|fill [--from <folder of chart archives>|upstream] [--env local]";
const { positionals, values } = parseArgs({ allowPositionals: true, options: { env: { type: "string", default: "local" }, from: { type: "string" } } });
const command = positionals[0] ?? "check";
const root = path.resolve(__dirname, "../..");
const env = loadEnvironment(values.env!);
if (!env.charts.mirror) {
  console.error(`${env.file}: charts.mirror is not set; environment ${env.name} installs charts from their repositories`);
  process.exit(command === "check" ? 0 : 3);
}
const mirror = path.resolve(root, env.charts.mirror);
const entries = mirrorContents(env, mirror);

if (command === "check") {
  for (const entry of entries) console.log(`${entry.present ? "ok     " : "MISSING"} ${entry.layer}/${entry.component}: ${entry.chart} ${entry.version}${entry.found ? ` (${entry.found})` : ""}`);
  process.exit(entries.some((entry) => !entry.present) ? 1 : 0);
} else if (command === "fill") {
  if (!values.from) fail(`fill needs --from: a folder of chart archives (such as ../shared/charts) or "upstream"; ${USAGE}`);
  const source: FillSource = values.from === "upstream" ? { kind: "upstream" } : { kind: "folder", dir: path.resolve(values.from) };
  if (source.kind === "folder" && !fs.existsSync(source.dir)) fail(`--from ${values.from}: no such folder; name a folder of <chart>-<version>.tgz archives, or "upstream"`);
  fs.mkdirSync(mirror, { recursive: true });
  const steps = planFill(entries, source, mirror, fs.existsSync);
  for (const step of steps) {
    if (step.kind === "copy") fs.copyFileSync(step.from, step.to);
    if (step.kind === "pull") execFileSync("helm", step.args, { stdio: "inherit" });
  }
  const missing = steps.flatMap((step) => (step.kind === "missing" ? [step] : []));
  const count = (kind: string) => steps.filter((step) => step.kind === kind).length;
  console.log(`[charts] ${mirror}: ${count("present")} present, ${count("copy") + count("pull")} added, ${missing.length} missing`);
  if (missing.length > 0) {
    for (const step of missing) console.error(`  missing: ${step.entry.layer}/${step.entry.component} ${step.entry.chart} ${step.entry.version} (looked for ${step.lookedFor.join(", ")} in ${values.from})`);
    fail(`the chart source lacks ${missing.length} pinned chart(s); add them there, or change the pins in environments/base.yaml`);
  }
} else {
  fail(`unknown command "${command}"; ${USAGE}`);
}

function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(3);
}
