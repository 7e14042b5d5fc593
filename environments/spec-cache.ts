import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUILD_STAMP_FILE, checkoutRoot, COMPILED_DIR, runsCompiled } from "./checkout-root";
import type { EnvironmentSpec } from "./model";

/**
 * Validated environments kept between runs of the compiled CLI, so a command that only reads
 * (status, graph) does not load the YAML parser and the schema. An entry is found only by the
 * exact bytes of every environment file, the folder they are shown from, and the build that
 * validated them: any edit or rebuild misses and validates again. Only successes are kept.
 */
export interface SpecCacheKey {
  readonly file: string;
}

const CACHE_DIR = path.join(checkoutRoot(), ".platform", "cache", "environments");

export function specCacheKey(dir: string, name: string, displayDir: string): SpecCacheKey | undefined {
  if (!runsCompiled()) return undefined;
  try {
    const hash = createHash("sha256").update(`${name}\0${displayDir}\0`);
    hash.update(fs.readFileSync(path.join(checkoutRoot(), COMPILED_DIR, BUILD_STAMP_FILE)));
    for (const entry of fs.readdirSync(dir).filter((file) => file.endsWith(".yaml")).sort()) {
      hash.update(`\0${entry}\0`).update(fs.readFileSync(path.join(dir, entry)));
    }
    return { file: path.join(CACHE_DIR, `${name}-${hash.digest("hex").slice(0, 32)}.json`) };
  } catch {
    return undefined;
  }
}

export function cachedSpec(key: SpecCacheKey | undefined): EnvironmentSpec | undefined {
  if (!key) return undefined;
  try {
    return JSON.parse(fs.readFileSync(key.file, "utf8")) as EnvironmentSpec;
  } catch {
    return undefined;
  }
}

/** Keeps one entry per environment; a cache that cannot be written is no reason to fail a command. */
export function keepSpec(key: SpecCacheKey | undefined, name: string, spec: EnvironmentSpec): void {
  if (!key) return;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true, mode: 0o700 });
    for (const old of fs.readdirSync(CACHE_DIR)) {
      if (old.startsWith(`${name}-`) && /^[0-9a-f]{32}\.json$/.test(old.slice(name.length + 1))) fs.rmSync(path.join(CACHE_DIR, old), { force: true });
    }
    const partial = `${key.file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(spec), { mode: 0o600 });
    fs.renameSync(partial, key.file);
  } catch {
    // The next run validates again.
  }
}
