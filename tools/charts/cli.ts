import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorContents } from "../../components/chart-source";
import { loadEnvironment } from "../../environments/load";
import { standInCrds, writeStandInChart } from "./stand-in-chart";

// npm run charts -- check|stand-ins [--env local]
// check: lists the charts an environment needs and which are missing from its mirror (exit 1 if any).
// stand-ins: writes this project's stand-in charts for the missing ones (Helm repositories are
// unreachable here); real archives put in the mirror (`helm pull ... -d <mirror>`) take precedence.
const [command = "check", ...rest] = process.argv.slice(2);
const envName = rest[rest.indexOf("--env") + 1] && rest.includes("--env") ? rest[rest.indexOf("--env") + 1]! : "local";
const root = path.resolve(__dirname, "../..");
const env = loadEnvironment(envName);
if (!env.charts.mirror) {
  console.error(`${env.file}: charts.mirror is not set; environment ${env.name} installs charts from their repositories`);
  process.exit(command === "check" ? 0 : 3);
}
const mirror = path.resolve(root, env.charts.mirror);
const entries = mirrorContents(env, mirror, fs.existsSync);
if (command === "check") {
  for (const entry of entries) console.log(`${entry.present ? "ok     " : "MISSING"} ${entry.layer}/${entry.component}: ${entry.chart} ${entry.version}`);
  process.exit(entries.some((entry) => !entry.present) ? 1 : 0);
} else if (command === "stand-ins") {
  fs.mkdirSync(mirror, { recursive: true });
  const missing = entries.filter((entry) => !entry.present);
  for (const entry of missing) writeStandInChart(mirror, entry.chart, entry.version, standInCrds(entry.chart));
  console.log(`[charts] ${mirror}: ${entries.length - missing.length} chart(s) present, ${missing.length} stand-in chart(s) written`);
} else {
  console.error(`unknown command "${command}"; use check or stand-ins`);
  process.exit(3);
}
