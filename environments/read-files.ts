import * as fs from "node:fs";
import * as path from "node:path";
import { LineCounter, parseDocument, isMap, type Document } from "yaml";
import type { ConfigIssue } from "./config-error";
import { isTree, mergeTrees, recordProvenance, type Tree } from "./merge";

export interface ParsedFile {
  readonly file: string;
  readonly tree: Tree;
  readonly document: Document;
  readonly lines: LineCounter;
}

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
    .readdirSync(dir)
    .filter((file) => file.endsWith(".yaml") && file !== "base.yaml")
    .map((file) => file.slice(0, -".yaml".length))
    .sort();
}

/** Reads an environment and its `extends` chain, merged blueprint-first. */
export function readEnvironment(dir: string, name: string, displayDir: string): ReadResult {
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
    const file = environmentFile(dir, current);
    if (!fs.existsSync(file)) {
      const child = chain[0];
      issues.push(
        child
          ? { file: child.file, path: "extends", message: `extends "${current}" but ${display} does not exist; available: ${[...listEnvironmentNames(dir), "base"].join(", ")}` }
          : { file: display, path: "", message: `no environment "${current}"; available: ${listEnvironmentNames(dir).join(", ")} (files in ${displayDir}/)` },
      );
      break;
    }
    const parsed = parseFile(file, display, issues);
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

function parseFile(file: string, display: string, issues: ConfigIssue[]): ParsedFile | undefined {
  const lines = new LineCounter();
  const document = parseDocument(fs.readFileSync(file, "utf8"), { lineCounter: lines, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const [line, column] = error.linePos?.[0] ? [error.linePos[0].line, error.linePos[0].col] : [undefined, undefined];
      issues.push({ file: display, path: "", line, column, message: `YAML syntax: ${error.message.split("\n")[0]}` });
    }
    return undefined;
  }
  const tree = document.toJS() as unknown;
  if (!isTree(tree) || !isMap(document.contents)) {
    issues.push({ file: display, path: "", message: "expected a YAML mapping of settings (target, cluster, layers, ...)" });
    return undefined;
  }
  return { file: display, tree, document, lines };
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
