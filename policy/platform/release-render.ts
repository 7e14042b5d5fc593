import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import type { RenderedObject } from "./chart-workloads";
import type { ChartLocation, ReleaseRender } from "./release-inputs";

export type RenderOutcome =
  | { readonly ok: true; readonly objects: readonly RenderedObject[] }
  /** `helmMissing`: Helm is not on PATH, so no release of the stack can be checked. */
  | { readonly ok: false; readonly error: string; readonly helmMissing?: boolean };

export const HELM_MISSING =
  "helm is not on PATH: the policy pack renders each Helm release with `helm template` to check the workloads inside it; run `source tools/env.sh` (npm run setup builds Helm 3.22) or install Helm 3 on PATH";

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === "object" && value !== null) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
}

/** An archive by its bytes, a chart directory by its files' sizes and times, a repository chart by its reference. */
function chartDigest(location: ChartLocation): string {
  if (location.kind !== "local") return JSON.stringify(location);
  try {
    const stat = fs.statSync(location.path);
    if (stat.isFile()) return createHash("sha256").update(fs.readFileSync(location.path)).digest("hex");
    const files = fs.readdirSync(location.path, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    return JSON.stringify(files.map((entry) => { const s = fs.statSync(path.join(entry.parentPath, entry.name)); return [path.join(entry.parentPath, entry.name), s.size, s.mtimeMs]; }));
  } catch {
    // Missing: helm reports that, and the next lookup tries again.
    return `missing:${location.path}:${Date.now()}`;
  }
}

function helmArgs(render: ReleaseRender, valuesFile: string): string[] {
  const { location } = render;
  const chart =
    location.kind === "local" ? [location.path] : location.kind === "oci" ? [location.chart, "--version", render.version] : [location.chart, "--repo", location.repo, "--version", render.version];
  return ["template", render.release, ...chart, "--namespace", render.namespace, "--values", valuesFile];
}

function helmTemplate(render: ReleaseRender): Promise<RenderOutcome> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-values-"));
  const valuesFile = path.join(dir, "values.json");
  fs.writeFileSync(valuesFile, JSON.stringify(render.values));
  return new Promise((resolve) => {
    execFile("helm", helmArgs(render, valuesFile), { maxBuffer: 1 << 28 }, (error, stdout, stderr) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") return resolve({ ok: false, error: HELM_MISSING, helmMissing: true });
      if (error) return resolve({ ok: false, error: stderr.trim() || error.message });
      try {
        const objects = parseAllDocuments(stdout).map((doc) => doc.toJS() as RenderedObject).filter((object) => object?.kind);
        resolve({ ok: true, objects });
      } catch (parseError) {
        resolve({ ok: false, error: `helm template output did not parse: ${(parseError as Error).message}` });
      }
    });
  });
}

/** Where renders are kept between the pack's processes (each stack's preview starts one): PLATFORM_POLICY_CACHE, else under PLATFORM_CACHE. */
export function renderCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.PLATFORM_POLICY_CACHE ?? path.join(env.PLATFORM_CACHE ?? path.join(os.homedir(), ".cache", "platform"), "policy-renders");
}

function readCached(file: string): RenderOutcome | undefined {
  try {
    return { ok: true, objects: JSON.parse(fs.readFileSync(file, "utf8")) as RenderedObject[] };
  } catch {
    return undefined;
  }
}

function writeCached(file: string, objects: readonly RenderedObject[]): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Stacks preview in parallel: write aside, then rename, so no reader sees half a file.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(objects));
    fs.renameSync(partial, file);
  } catch {
    // A cache that cannot be written only costs the next preview a render.
  }
}

// Both workload rules and the advisory note ask for the same release: one render per process,
// and one on disk per chart digest and values, so a second preview renders nothing.
const renders = new Map<string, Promise<RenderOutcome>>();
let rendered = 0;

/** The objects a release renders, rendered once per archive digest, release, namespace and values. */
export function renderRelease(render: ReleaseRender, cacheDir: string = renderCacheDir()): Promise<RenderOutcome> {
  const key = createHash("sha256")
    .update(JSON.stringify(canonical({ chart: chartDigest(render.location), release: render.release, namespace: render.namespace, version: render.version, values: render.values })))
    .digest("hex");
  let outcome = renders.get(key);
  if (!outcome) {
    const file = path.join(cacheDir, `${key}.json`);
    const cached = readCached(file);
    outcome = cached
      ? Promise.resolve(cached)
      : helmTemplate(render).then((result) => {
          rendered += 1;
          if (result.ok) writeCached(file, result.objects);
          return result;
        });
    renders.set(key, outcome);
  }
  return outcome;
}

/** How many times this process has run `helm template` (for the cost figures and tests). */
export function renderCount(): number {
  return rendered;
}
