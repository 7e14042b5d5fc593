import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILD_STAMP_FILE, COMPILED_DIR } from "../../environments/checkout-root";

/** What `npm run build` compiles: the CLI and the stack program, and the settings tsc reads. */
export const BUILT_SOURCES = { dirs: ["orchestrator", "stacks", "components", "environments"], files: ["tsconfig.json", "tsconfig.build.json"] } as const;
export const STAMP_FILE = BUILD_STAMP_FILE;

/** One source file as the build saw it; the hash settles a changed time with unchanged size (a checkout, a copy). */
export interface SourceMark {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export interface BuildStamp {
  readonly builtAt: string;
  readonly files: Readonly<Record<string, SourceMark>>;
}

/** A source file as it is now: what a stat gives, cheap enough for every start-up. */
export interface SourceStat {
  readonly file: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/**
 * The first source file that differs from the build, and how; undefined when the build is current.
 * Pure but for `hashOf`, called only for a file whose time changed and size did not.
 */
export function staleSource(stamp: BuildStamp, now: readonly SourceStat[], hashOf: (file: string) => string): string | undefined {
  const seen = new Set<string>();
  for (const { file, size, mtimeMs } of now) {
    seen.add(file);
    const built = stamp.files[file];
    if (!built) return `${file} (added since the build)`;
    if (built.size !== size) return `${file} (changed since the build)`;
    if (built.mtimeMs !== mtimeMs && built.sha256 !== hashOf(file)) return `${file} (changed since the build)`;
  }
  const removed = Object.keys(stamp.files).find((file) => !seen.has(file));
  return removed ? `${removed} (removed since the build)` : undefined;
}

/** The built sources of a checkout as they are now, relative paths in a stable order. */
export function sourceStats(root: string): SourceStat[] {
  const files = [...BUILT_SOURCES.files.filter((file) => fs.existsSync(path.join(root, file))), ...BUILT_SOURCES.dirs.flatMap((dir) => typeScriptUnder(root, dir))];
  return files.map((file) => {
    const stat = fs.statSync(path.join(root, file));
    return { file, size: stat.size, mtimeMs: stat.mtimeMs };
  });
}

export function sha256Of(root: string, file: string): string {
  return createHash("sha256").update(fs.readFileSync(path.join(root, file))).digest("hex");
}

/** The stamp of the sources as they are now; taken before compiling, so an edit made during the build shows as stale. */
export function stampSources(root: string): BuildStamp {
  const files: Record<string, SourceMark> = {};
  for (const { file, size, mtimeMs } of sourceStats(root)) files[file] = { size, mtimeMs, sha256: sha256Of(root, file) };
  return { builtAt: new Date().toISOString(), files };
}

export function stampPath(root: string): string {
  return path.join(root, COMPILED_DIR, STAMP_FILE);
}

/** Why the compiled tree of `root` must not run, as one line that says to rebuild; undefined when it is current. */
export function staleBuildProblem(root: string): string | undefined {
  let stamp: BuildStamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampPath(root), "utf8")) as BuildStamp;
  } catch {
    return `${COMPILED_DIR}/${STAMP_FILE} is missing or unreadable, so ${COMPILED_DIR}/ may not match the source; run \`npm run build\``;
  }
  const changed = staleSource(stamp, sourceStats(root), (file) => sha256Of(root, file));
  return changed && `the build in ${COMPILED_DIR}/ is stale: ${changed}; run \`npm run build\``;
}

function typeScriptUnder(root: string, dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const child = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(child);
    }
  };
  walk(dir);
  return found.sort();
}
