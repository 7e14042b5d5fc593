import * as path from "node:path";
import type { z } from "zod";
import { checkoutRoot } from "./checkout-root";
import { LAYER_NAMES, type LayerName } from "./layers";
import { dependenciesOf, dependencyProblems, plainSecrets, promotionSourceProblems, unknownComponents, type PathIssue } from "./checks";
import { closestKey, ConfigError, type ConfigIssue } from "./config-error";
import { fileFor } from "./merge";
import { NO_GATES } from "./gates";
import type { EnvironmentSpec, LayerSettings } from "./model";
import { BLUEPRINT, listEnvironmentNames, requestedEnvironmentProblem, positionOf, readEnvironment, type ReadResult } from "./read-files";
import type { EnvironmentDocument } from "./schema";
import { cachedSpec, keepSpec, specCacheKey } from "./spec-cache";

// The schema (zod) and the YAML parser load only when an environment is validated, not on a cache hit.
const schemaModule = (): typeof import("./schema") => require("./schema") as typeof import("./schema");

export interface LoadOptions {
  /** Folder of environment files; defaults to this folder. */
  readonly dir?: string;
}

const DEFAULT_DIR = path.join(checkoutRoot(), "environments");

export function listEnvironments(options: LoadOptions = {}): string[] {
  return listEnvironmentNames(options.dir ?? DEFAULT_DIR);
}

function displayDirOf(dir: string): string {
  return path.relative(process.cwd(), dir) || ".";
}

/** Why `name` names no environment (not a plain name, no such file), or undefined when it does; for checking flags before anything runs. */
export function environmentProblem(name: string, options: LoadOptions = {}): string | undefined {
  const dir = options.dir ?? DEFAULT_DIR;
  return requestedEnvironmentProblem(dir, name, displayDirOf(dir))?.message;
}

/** Reads, merges and validates one environment; throws ConfigError listing every problem found. */
export function loadEnvironment(name: string, options: LoadOptions = {}): EnvironmentSpec {
  const dir = options.dir ?? DEFAULT_DIR;
  const displayDir = displayDirOf(dir);
  const blueprint = name === BLUEPRINT ? requestedEnvironmentProblem(dir, name, displayDir) : undefined;
  if (blueprint) throw new ConfigError([{ file: path.join(displayDir, `${BLUEPRINT}.yaml`), path: "", message: blueprint.message }]);
  const key = specCacheKey(dir, name, displayDir);
  const cached = cachedSpec(key);
  if (cached) return cached;
  const spec = validateEnvironment(dir, name, displayDir);
  keepSpec(key, name, spec);
  return spec;
}

function validateEnvironment(dir: string, name: string, displayDir: string): EnvironmentSpec {
  const { environmentSchema } = schemaModule();
  const read = readEnvironment(dir, name, displayDir);
  if (read.issues.length > 0) throw new ConfigError(read.issues);
  const envFile = read.chain[read.chain.length - 1].file;
  const locate = (issue: PathIssue): ConfigIssue => {
    const file = fileFor(issue.path, read.provenance, envFile);
    return { file, path: issue.path, ...positionOf(read.chain, file, issue.path), message: issue.message };
  };

  const issues: ConfigIssue[] = read.chain.flatMap((parsed) =>
    plainSecrets(parsed.tree).map((issue) => ({ file: parsed.file, path: issue.path, ...positionOf([parsed], parsed.file, issue.path), message: issue.message })),
  );
  const parsed = environmentSchema.safeParse(read.merged);
  if (!parsed.success) {
    issues.push(...parsed.error.issues.flatMap((issue) => zodIssues(issue, read)).map(locate));
    throw new ConfigError(issues);
  }
  const document = parsed.data;
  issues.push(...unknownComponents(document.layers).map(locate));
  issues.push(...dependencyProblems(document.layers).map(locate));
  issues.push(...promotionSourceProblems(name, document.promotion.promotesFrom, listEnvironmentNames(dir)).map(locate));
  if (document.target === "local" && !document.local) {
    issues.push(locate({ path: "target", message: "target local needs local.kubeconfig (path to the cluster's kubeconfig, e.g. .platform/cluster/kubeconfig)" }));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return toSpec(name, envFile, document);
}

function zodIssues(issue: z.core.$ZodIssue, read: ReadResult): PathIssue[] {
  const at = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const valid = validKeysAt(issue.path.map(String), read);
    return issue.keys.map((key) => {
      const near = closestKey(key, valid);
      return {
        path: at ? `${at}.${key}` : key,
        message: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ""}${valid.length > 0 ? ` (valid: ${valid.join(", ")})` : ""}`,
      };
    });
  }
  return [{ path: at, message: issue.message.replace(/^Invalid input: /, "") }];
}

/** Keys the schema accepts at a path, for "did you mean" hints. */
function validKeysAt(keys: readonly string[], _read: ReadResult): string[] {
  let schema: unknown = schemaModule().environmentSchema;
  for (const key of keys) {
    const shape = shapeOf(schema);
    if (shape && key in shape) schema = shape[key];
    else if (isRecord(schema)) schema = (schema as { _zod: { def: { valueType: unknown } } })._zod.def.valueType;
    else return [];
  }
  return Object.keys(shapeOf(schema) ?? {});
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod?: { def: { type: string; innerType?: unknown; in?: unknown } } };
  while (current?._zod && ["default", "optional", "pipe"].includes(current._zod.def.type)) {
    current = (current._zod.def.innerType ?? current._zod.def.in) as typeof current;
  }
  return current;
}

function shapeOf(schema: unknown): Record<string, unknown> | undefined {
  const inner = unwrap(schema) as { _zod?: { def: { type: string; shape?: Record<string, unknown> } } };
  return inner?._zod?.def.type === "object" ? inner._zod.def.shape : undefined;
}

function isRecord(schema: unknown): boolean {
  return (unwrap(schema) as { _zod?: { def: { type: string } } })?._zod?.def.type === "record";
}

function toSpec(name: string, file: string, document: EnvironmentDocument): EnvironmentSpec {
  const layers = Object.fromEntries(
    LAYER_NAMES.map((layer): [LayerName, LayerSettings] => {
      const settings = document.layers[layer];
      return [layer, { ...settings, dependsOn: [...dependenciesOf(layer, settings)] }];
    }),
  ) as Record<LayerName, LayerSettings>;
  return {
    name,
    file,
    target: document.target,
    region: document.region,
    domain: document.domain,
    cluster: document.cluster,
    network: document.network,
    local: document.local,
    charts: document.charts,
    layers,
    promotion: document.promotion,
    ...(document.notifications ? { notifications: document.notifications } : {}),
    ...(document.budget ? { budget: document.budget } : {}),
    gates: document.gates ?? NO_GATES,
    secrets: document.secrets,
  };
}
