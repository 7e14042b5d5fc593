import * as fs from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { checkoutRoot } from "./checkout-root";
import { LAYER_NAMES, type LayerName } from "./layers";
import { dependenciesOf, dependencyProblems, plainSecrets, promotionSourceProblems, unknownComponents, type PathIssue } from "./checks";
import { closestKey, ConfigError, type ConfigIssue } from "./config-error";
import { NO_GATES } from "./gates";
import { fleetProblems, memberEnvironmentName, memberTree, ringsOf, setByMember, type FleetDeclaration } from "./fleet";
import { fileFor, type Tree } from "./merge";
import type { EnvironmentSpec, LayerSettings } from "./model";
import { BLUEPRINT, environmentFile, findFleetMember, listEnvironmentNames, requestedEnvironmentProblem, positionOf, readEnvironment } from "./read-files";
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
  const problem = requestedEnvironmentProblem(dir, name, displayDirOf(dir));
  if (problem?.kind === "missing" && findFleetMember(dir, name, displayDirOf(dir))) return undefined;
  return problem?.message;
}

/** The environments a name stands for: a fleet's members in ring order, else the name itself (also one known only from history). */
export function environmentsOf(name: string, options: LoadOptions = {}): readonly string[] {
  if (environmentProblem(name, options)) return [name];
  return loadEnvironment(name, options).fleet?.members ?? [name];
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
  const spec = validateNamed(dir, name, displayDir);
  keepSpec(key, name, spec);
  return spec;
}

interface Validated {
  readonly spec: EnvironmentSpec;
  /** A fleet's members by environment name; empty for a plain environment. */
  readonly members: ReadonlyMap<string, EnvironmentSpec>;
}

/** A name with its own file is that environment; otherwise it may be a fleet's member. */
function validateNamed(dir: string, name: string, displayDir: string): EnvironmentSpec {
  const member = fs.existsSync(environmentFile(dir, name)) ? undefined : findFleetMember(dir, name, displayDir);
  if (!member) return validateEnvironment(dir, name, displayDir).spec;
  return validateEnvironment(dir, member.fleet, displayDir).members.get(name)!;
}

function validateEnvironment(dir: string, name: string, displayDir: string): Validated {
  const read = readEnvironment(dir, name, displayDir);
  if (read.issues.length > 0) throw new ConfigError(read.issues);
  const envFile = read.chain[read.chain.length - 1].file;
  const locate = (issue: PathIssue): ConfigIssue => {
    const file = fileFor(issue.path, read.provenance, envFile);
    return { file, path: issue.path, ...positionOf(read.chain, file, issue.path), message: issue.message };
  };
  const environments = listEnvironmentNames(dir);

  const issues: ConfigIssue[] = read.chain.flatMap((parsed) =>
    plainSecrets(parsed.tree).map((issue) => ({ file: parsed.file, path: issue.path, ...positionOf([parsed], parsed.file, issue.path), message: issue.message })),
  );
  const own = checkDocument(name, read.merged, locate, environments);
  issues.push(...own.issues);
  if (!own.document || issues.length > 0) throw new ConfigError(issues);
  if (own.document.fleet === undefined) return { spec: toSpec(name, envFile, own.document), members: new Map() };

  const fleetIssues = fleetProblems(name, own.document.fleet, environments).map(locate);
  if (fleetIssues.length > 0) throw new ConfigError(fleetIssues);
  const declaration = own.document.fleet as FleetDeclaration;
  const members = new Map<string, EnvironmentSpec>();
  for (const key of Object.keys(declaration.members)) {
    const { tree, overridden } = memberTree(read.merged, key);
    const memberLocate = (issue: PathIssue): ConfigIssue => {
      const message = `member ${key}: ${issue.message}`;
      return setByMember(issue.path, overridden) ? locate({ path: `fleet.members.${key}.${issue.path}`, message }) : locate({ ...issue, message });
    };
    const memberName = memberEnvironmentName(name, key);
    const checked = checkDocument(memberName, tree, memberLocate, environments);
    issues.push(...checked.issues);
    if (checked.document) members.set(memberName, toSpec(memberName, envFile, checked.document));
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const rings = ringsOf(declaration, name);
  return { spec: { ...toSpec(name, envFile, own.document), fleet: { members: rings.flat(), rings, rollback: declaration.rollback ?? "member" } }, members };
}

/** Schema and cross-field checks of one merged document; the document when the schema accepts it. */
function checkDocument(name: string, tree: Tree, locate: (issue: PathIssue) => ConfigIssue, environments: readonly string[]): { document?: EnvironmentDocument; issues: ConfigIssue[] } {
  const parsed = schemaModule().environmentSchema.safeParse(tree);
  if (!parsed.success) return { issues: parsed.error.issues.flatMap(zodIssues).map(locate) };
  const document = parsed.data;
  const issues: PathIssue[] = [
    ...unknownComponents(document.layers),
    ...dependencyProblems(document.layers),
    ...promotionSourceProblems(name, document.promotion.promotesFrom, environments),
  ];
  if (document.target === "local" && !document.local) {
    issues.push({ path: "target", message: "target local needs local.kubeconfig (path to the cluster's kubeconfig, e.g. .platform/cluster/kubeconfig)" });
  }
  return { document, issues: issues.map(locate) };
}

function zodIssues(issue: z.core.$ZodIssue): PathIssue[] {
  const at = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const valid = validKeysAt(issue.path.map(String));
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
function validKeysAt(keys: readonly string[]): string[] {
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
