import * as fs from "node:fs";
import * as path from "node:path";

/** One relative import: the file that has it, what it says, and the repository path it reaches. */
export interface SourceImport {
  readonly file: string;
  readonly specifier: string;
  readonly target: string;
}

// `import ... from "x"`, `export ... from "x"`, `import "x"`, `import("x")`, `require("x")`.
const SPECIFIERS = /\b(?:import|export)\s[^'"`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\brequire\s*\(\s*["']([^"']+)["']\s*\)/g;

/** Every relative import in the TypeScript files under `folders` of `root`, with repository-relative paths. */
export function relativeImports(root: string, folders: readonly string[], skip: (file: string) => boolean = () => false): SourceImport[] {
  return sourceFiles(root, folders, skip).flatMap((file) => importsIn(root, file));
}

/** The TypeScript files under `folders` of `root`, as repository-relative paths. */
export function sourceFiles(root: string, folders: readonly string[], skip: (file: string) => boolean = () => false): string[] {
  return folders.flatMap((folder) => typeScriptFiles(root, folder)).filter((file) => !skip(file));
}

function typeScriptFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : typeScriptFiles(root, child);
    return entry.name.endsWith(".ts") ? [child] : [];
  });
}

function importsIn(root: string, file: string): SourceImport[] {
  const text = fs.readFileSync(path.join(root, file), "utf8");
  return [...text.matchAll(SPECIFIERS)]
    .map((match) => match.slice(1).find((group) => group !== undefined)!)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => ({ file, specifier, target: resolve(root, path.posix.join(path.posix.dirname(file), specifier)) }));
}

/** The file an extensionless import means, as TypeScript would find it; the bare path when there is none. */
function resolve(root: string, target: string): string {
  const candidates = [target, `${target}.ts`, `${target}/index.ts`];
  return candidates.find((candidate) => fs.existsSync(path.join(root, candidate)) && fs.statSync(path.join(root, candidate)).isFile()) ?? target;
}
