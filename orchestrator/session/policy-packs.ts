import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { PreflightError } from "../model/preflight-error";

const WHAT_A_PACK_IS = "a policy pack is a directory with PulumiPolicy.yaml and an entry (index.ts, index.js or package.json \"main\")";

/** Why `dir` cannot be enforced as a CrossGuard policy pack, or undefined when it looks like one. */
export function policyPackProblem(dir: string): string | undefined {
  const shown = path.relative(process.cwd(), dir) || dir;
  if (!fs.existsSync(dir)) return `policy pack ${shown}: no such directory; ${WHAT_A_PACK_IS}`;
  if (!fs.statSync(dir).isDirectory()) return `policy pack ${shown}: not a directory; ${WHAT_A_PACK_IS}`;
  const manifest = path.join(dir, "PulumiPolicy.yaml");
  if (!fs.existsSync(manifest)) return `policy pack ${shown} has no PulumiPolicy.yaml, so it is not a policy pack; point --policy-pack at the pack's directory (create one with \`pulumi policy new\`)`;
  if (!hasRuntime(manifest)) return `policy pack ${path.join(shown, "PulumiPolicy.yaml")}: expected a runtime, such as \`runtime: nodejs\``;
  const main = packageMain(dir);
  if (main !== undefined) return fs.existsSync(path.join(dir, main)) ? undefined : `policy pack ${shown}: package.json "main" is ${main}, which does not exist; fix "main" or add that file`;
  return ["index.ts", "index.js"].some((entry) => fs.existsSync(path.join(dir, entry))) ? undefined : `policy pack ${shown} has no entry: expected index.ts or index.js, or a package.json "main"`;
}

/** Stops a run before anything deploys when a policy pack it would enforce is missing or broken. */
export function checkPolicyPacks(dirs: readonly string[]): void {
  const problems = dirs.map(policyPackProblem).filter((problem): problem is string => problem !== undefined);
  if (problems.length > 0) throw new PreflightError(`${problems.join("\n")}\nnothing was deployed; fix or drop the pack (--policy-pack, --no-policy) and run again.`);
}

function hasRuntime(manifest: string): boolean {
  try {
    const document = parse(fs.readFileSync(manifest, "utf8")) as { runtime?: unknown } | null;
    return typeof document?.runtime === "string" || (typeof document?.runtime === "object" && document.runtime !== null);
  } catch {
    return false;
  }
}

function packageMain(dir: string): string | undefined {
  const file = path.join(dir, "package.json");
  if (!fs.existsSync(file)) return undefined;
  try {
    const main = (JSON.parse(fs.readFileSync(file, "utf8")) as { main?: unknown }).main;
    return typeof main === "string" ? main : undefined;
  } catch {
    return undefined;
  }
}
