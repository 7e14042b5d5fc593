import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadEnvironment } from "../../../environments/load";
import { PreflightError } from "../../model/preflight-error";
import { collectInventory } from "../../inventory/collect";
import { openWorkspace } from "../../workspace/workspace";
import { withEnvironmentOption } from "../options/command-options";
import type { CommandContext } from "./context";

interface SbomFlags {
  env: string;
  out?: string;
  charts?: string;
  json?: boolean;
}

/** The Helm to render with: $HELM_BIN, else `helm` on PATH (setup builds it); checked before any work. */
function helmBinary(): string {
  const helm = process.env.HELM_BIN ?? "helm";
  try {
    execFileSync(helm, ["version", "--short"], { stdio: "ignore", timeout: 30_000 });
  } catch {
    throw new PreflightError(`helm not found (${helm}): run \`npm run setup\`, which builds Helm from Go modules, or set HELM_BIN`);
  }
  return helm;
}

/** `sbom`: a CycloneDX document of everything an environment installs. */
export function addSbomCommand(program: Command, _context: CommandContext): void {
  const command = program
    .command("sbom")
    .description("write a CycloneDX 1.6 SBOM of an environment: each Helm chart, each container image its objects run, the project's npm packages");
  withEnvironmentOption(command, { required: true, anyName: true })
    .option("-o, --out <file>", "where to write it (default sbom-<env>.cdx.json; - for stdout)")
    .option("--charts <dir>", "folder of chart archives to render from when the environment has no mirror (default: $PLATFORM_CHART_SOURCE or ../shared/charts)")
    .option("--json", "print a summary of what was written as JSON")
    .addHelpText("after", "\nExamples:\n  npm run sbom -- --env prod\n  npm run sbom -- --env staging && trivy sbom sbom-staging.cdx.json\n\nExit codes: 0 written, 3 bad input or no helm, 1 error")
    .action(async (flags: SbomFlags) => {
      const env = loadEnvironment(flags.env);
      const helm = helmBinary();
      const workspace = openWorkspace();
      const chartFolder = flags.charts ?? process.env.PLATFORM_CHART_SOURCE ?? path.resolve(workspace.root, "..", "shared", "charts");
      const say = (line: string) => process.stderr.write(`${line}\n`);
      const inventory = await collectInventory(env, { root: workspace.root, helm, chartFolders: [chartFolder], say });
      const document = `${(require("../../inventory/bom") as typeof import("../../inventory/bom")).renderBom(inventory)}\n`;
      const out = flags.out ?? `sbom-${env.name}.cdx.json`;
      if (out === "-") process.stdout.write(document);
      else fs.writeFileSync(out, document);
      const images = new Set(inventory.charts.flatMap((c) => Object.keys(c.images)));
      const summary = { file: out === "-" ? "(stdout)" : path.resolve(out), charts: inventory.charts.length, images: images.size, npmPackages: inventory.npm.length, chartsWithoutImages: inventory.charts.filter((c) => c.problem).map((c) => c.component) };
      const line = `sbom ${env.name}: ${summary.charts} charts, ${summary.images} images, ${summary.npmPackages} npm packages -> ${summary.file}${summary.chartsWithoutImages.length ? ` (images unknown for ${summary.chartsWithoutImages.join(", ")})` : ""}`;
      if (flags.json && out !== "-") process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
      else say(line);
    });
}
