import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigIssue } from "./config-error";
import { fleetMemberCandidates } from "./fleet";
import { isTree, mergeTrees, recordProvenance, type Tree } from "./merge";
import type { ParsedFile } from "./read-yaml";

export type { ParsedFile } from "./read-yaml";

export interface ReadResult {
  readonly merged: Tree;
  /** Files from the blueprint down to the environment itself. */
  readonly chain: readonly ParsedFile[];
  readonly provenance: Map<string, string>;
  readonly issues: ConfigIssue[];
}

export function environmentFile(dir: string, name: string): string {
  return path.join(dir, `${name}.yaml`);
}

export function listEnvironmentNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".yaml") && entry.name !== "base.yaml")
    .map((entry) => entry.name.slice(0, -".yaml".length))
    .sort();
}

/** Plain names only: an environment name becomes a file name and part of every stack name. */
const ENVIRONMENT_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** The blueprint every environment extends: a parent, never an environment of its own. */
export const BLUEPRINT = "base";

export interface NameProblem {
  readonly kind: "not-a-name" | "missing" | "directory" | "blueprint";
  readonly message: string;
}

/** Why `name` names no environment file in `dir`, or undefined when it does. */
export function environmentNameProblem(dir: string, name: string, displayDir: string): NameProblem | undefined {
  const available = `available: ${listEnvironmentNames(dir).join(", ")} (files in ${displayDir}/)`;
  if (!ENVIRONMENT_NAME.test(name)) {
    return { kind: "not-a-name", message: `"${name}" is not an environment name: expected a plain name of lowercase letters, digits and dashes such as dev or prod-eu; ${available}` };
  }
  const file = environmentFile(dir, name);
  if (!fs.existsSync(file)) return { kind: "missing", message: `no environment "${name}"; ${available}` };
  if (!fs.statSync(file).isFile()) return { kind: "directory", message: `${path.join(displayDir, `${name}.yaml`)} is a directory, not an environment file; ${available}` };
  return undefined;
}

/** Like environmentNameProblem, for a name asked for directly: the blueprint is only ever extended. */
export function requestedEnvironmentProblem(dir: string, name: string, displayDir: string): NameProblem | undefined {
  if (name !== BLUEPRINT) return environmentNameProblem(dir, name, displayDir);
  const available = listEnvironmentNames(dir).join(", ");
  return { kind: "blueprint", message: `"${BLUEPRINT}" is the blueprint every environment extends (${displayDir}/${BLUEPRINT}.yaml), not an environment to deploy; available: ${available}` };
}

/** Reads an environment and its `extends` chain, merged blueprint-first. */
export function readEnvironment(dir: string, name: string, displayDir: string): ReadResult {
  // Loaded here, not at the top: listing and naming environments needs no YAML parser.
  const { parseEnvironmentFile } = require("./read-yaml") as typeof import("./read-yaml");
  const issues: ConfigIssue[] = [];
  const chain: ParsedFile[] = [];
  const seen: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined) {
    const display = path.join(displayDir, `${current}.yaml`);
    if (seen.includes(current)) {
      issues.push({ file: display, path: "extends", message: `extends cycle: ${[...seen, current].join(" -> ")}; one of them must not extend the others` });
      break;
    }
    seen.push(current);
    const problem = environmentNameProblem(dir, current, displayDir);
    if (problem) {
      const child = chain[0];
      issues.push(
        !child
          ? { file: problem.kind === "not-a-name" ? displayDir : display, path: "", message: problem.message }
          : problem.kind === "missing"
            ? { file: child.file, path: "extends", message: `extends "${current}" but ${display} does not exist; available: ${[...listEnvironmentNames(dir), BLUEPRINT].join(", ")}` }
            : { file: child.file, path: "extends", message: `extends "${current}": ${problem.message}` },
      );
      break;
    }
    const file = environmentFile(dir, current);
    const parsed = parseEnvironmentFile(file, display, issues);
    if (!parsed) break;
    chain.unshift(parsed);
    const parent = parsed.tree.extends;
    current = typeof parent === "string" ? parent : undefined;
  }
  const provenance = new Map<string, string>();
  let merged: Tree = {};
  chain.forEach((parsed, index) => {
    if (index === 0) {
      recordProvenance(parsed.tree, parsed.file, provenance);
      merged = parsed.tree;
    } else {
      merged = mergeTrees(merged, parsed.tree, parsed.file, provenance);
    }
  });
  return { merged, chain, provenance, issues };
}

/** The fleet file and member key that `name` names, when a fleet in `dir` declares it as a member. */
export function findFleetMember(dir: string, name: string, displayDir: string): { readonly fleet: string; readonly member: string } | undefined {
  return fleetMemberCandidates(name).find(({ fleet, member }) => {
    if (environmentNameProblem(dir, fleet, displayDir)) return false;
    const declared = readEnvironment(dir, fleet, displayDir).merged.fleet;
    return isTree(declared) && isTree(declared.members) && member in declared.members;
  });
}

/** Line and column of the YAML node at a dotted path in the file that set it, when it is there. */
export function positionOf(chain: readonly ParsedFile[], file: string, dotted: string): { line?: number; column?: number } {
  const parsed = chain.find((candidate) => candidate.file === file);
  if (!parsed || !dotted) return {};
  const keys = dotted.split(".");
  for (let length = keys.length; length > 0; length--) {
    const node = parsed.document.getIn(keys.slice(0, length), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) {
      const position = parsed.lines.linePos(node.range[0]);
      return { line: position.line, column: position.col };
    }
  }
  return {};
}
