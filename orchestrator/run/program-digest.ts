import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** What the stack programs are made of, relative to the repository root. */
export const PROGRAM_SOURCES = ["Pulumi.yaml", "package-lock.json", "stacks", "components", "environments"];

/** One digest over the program's files (and a chart mirror, whose charts are part of what deploys). */
export function programDigest(root: string, extraDirs: readonly string[] = []): string {
  const hash = createHash("sha256");
  // Environment YAML enters each stack's fingerprint as its parsed settings, so editing prod.yaml leaves dev alone.
  const files = [...PROGRAM_SOURCES.map((entry) => path.join(root, entry)), ...extraDirs]
    .flatMap(listFiles)
    .filter((file) => !/environments[\\/][^\\/]+\.ya?ml$/.test(path.relative(root, file)))
    .sort();
  for (const file of files) {
    hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 32);
}

function listFiles(entry: string): string[] {
  if (!fs.existsSync(entry)) return [];
  const stat = fs.statSync(entry);
  if (stat.isFile()) return [entry];
  if (!stat.isDirectory()) return [];
  return fs.readdirSync(entry).flatMap((name) => (name === "node_modules" ? [] : listFiles(path.join(entry, name))));
}
