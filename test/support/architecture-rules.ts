import * as path from "node:path";
import type { SourceImport } from "./source-imports";

// The rules of test/unit/architecture.test.ts, as pure functions of the import list. README, Architecture, mirrors them.

const PRODUCT = ["environments/", "components/", "stacks/", "orchestrator/", "policy/"];

/** What each top folder may import, from the ground up; the longest matching folder decides. */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  "environments/": ["environments/"],
  "policy/": ["policy/"],
  "components/": ["environments/", "components/"],
  "stacks/": ["environments/", "components/", "stacks/"],
  "orchestrator/": ["environments/", "components/", "orchestrator/"],
  // Planning is pure: plain data in, plain data out.
  "orchestrator/plan/": ["environments/", "orchestrator/model/", "orchestrator/plan/"],
  "tools/": [...PRODUCT, "tools/"],
  "test/": [...PRODUCT, "tools/", "test/"],
};

/** Folders only some may import, whatever the importer's own rule allows. */
export const IMPORTED_ONLY_BY: Readonly<Record<string, readonly string[]>> = {
  // The CLI is the top: it parses flags and renders; nothing in the product builds on it.
  "orchestrator/cli/": ["orchestrator/cli/", "test/"],
  // The Automation API stays behind the engine seam (orchestrator/engine/); only the workspace constructs it.
  "orchestrator/automation/": ["orchestrator/automation/", "orchestrator/workspace/", "test/"],
  // Setup, cluster and chart tooling may use the product, never the reverse.
  "tools/": ["tools/", "test/"],
};

/** One rank of the inner order of orchestrator/: its folders and what they hold. */
export interface Rank {
  readonly folders: readonly string[];
  readonly role: string;
  readonly useCase?: true;
}

/**
 * The inner order of orchestrator/, from the ground up: a file may import its own folder and the folders of the ranks
 * below its own (plus environments/ and components/), never a folder at its rank or above. The one source of truth;
 * README, Architecture, mirrors it.
 */
export const ORCHESTRATOR_ORDER: readonly Rank[] = [
  { folders: ["orchestrator/model/"], role: "records and result types shared by history, drift and promotion" },
  { folders: ["orchestrator/engine/"], role: "the engine seam: interfaces and engine error types" },
  { folders: ["orchestrator/plan/"], role: "pure planning: only environments/ and orchestrator/model/" },
  { folders: ["orchestrator/locks/"], role: "environment locks" },
  { folders: ["orchestrator/history/"], role: "run history" },
  { folders: ["orchestrator/backend/"], role: "history and locks in a shared blob backend" },
  { folders: ["orchestrator/automation/"], role: "the Automation API behind the seam; only orchestrator/workspace/ imports it" },
  { folders: ["orchestrator/cluster/"], role: "cluster access" },
  { folders: ["orchestrator/releases/"], role: "the one home for Helm releases" },
  { folders: ["orchestrator/workspace/"], role: "the workspace: builds the engine" },
  { folders: ["orchestrator/run/"], role: "scheduler, runner, retry, fingerprints, skip decisions" },
  { folders: ["orchestrator/session/"], role: "the one run session and its preflight checks" },
  {
    folders: ["orchestrator/status/", "orchestrator/report/", "orchestrator/metrics/", "orchestrator/notify/", "orchestrator/inventory/"],
    role: "peer use cases: none imports another",
    useCase: true,
  },
  { folders: ["orchestrator/operate/"], role: "use case: up, preview, refresh, destroy", useCase: true },
  { folders: ["orchestrator/drift/"], role: "use case: drift", useCase: true },
  { folders: ["orchestrator/promote/"], role: "use case: promotion", useCase: true },
  { folders: ["orchestrator/fleet/"], role: "use case: a fleet's members ring by ring, over operate and promote", useCase: true },
  { folders: ["orchestrator/cli/"], role: "the top: flags and rendering; nothing in the product imports it" },
];

function longestMatch(file: string, folders: readonly string[]): string | undefined {
  return folders.filter((folder) => file.startsWith(folder)).sort((a, b) => b.length - a.length)[0];
}

/** The folder of the inner order that holds `file`, with its rank (1 = the ground); undefined outside every one. */
function placeOf(file: string): { folder: string; rank: number; useCase: boolean } | undefined {
  for (const [index, { folders, useCase }] of ORCHESTRATOR_ORDER.entries()) {
    const folder = folders.find((candidate) => file.startsWith(candidate));
    if (folder) return { folder, rank: index + 1, useCase: useCase === true };
  }
  return undefined;
}

/** A use case's entry file is named after its folder: orchestrator/drift/drift.ts. */
function entryFile(folder: string): string {
  return `${folder}${path.posix.basename(folder)}.ts`;
}

/** Where an orchestrator/ file breaks the inner order, if it does. */
function innerOrderProblem(file: string, target: string): string | undefined {
  if (!target.startsWith("orchestrator/")) return undefined;
  const from = placeOf(file);
  if (!from) {
    if (!file.slice("orchestrator/".length).includes("/")) return `${file} is directly in orchestrator/; put it in a folder of the inner order`;
    return `${file.split("/").slice(0, 2).join("/")}/ is in no rank of the inner order of orchestrator/; add it to ORCHESTRATOR_ORDER`;
  }
  const to = placeOf(target);
  if (!to) return `${target} is in no folder of the inner order`;
  if (to.folder === from.folder) return undefined;
  if (to.rank >= from.rank) {
    const below = ORCHESTRATOR_ORDER.slice(0, from.rank - 1).flatMap((rank) => rank.folders);
    const allowed = below.length === 0 ? "may import no other folder of orchestrator/" : `may import only ${below.join(", ")} below it`;
    const peer = to.rank === from.rank ? `; ${to.folder} is its peer at rank ${to.rank}` : "";
    return `${from.folder} (rank ${from.rank}) ${allowed}${peer}`;
  }
  // No use case reaches into another use case's folder for a helper.
  if (from.useCase && to.useCase && target !== entryFile(to.folder)) return `use cases call each other only through their entry file ${entryFile(to.folder)}`;
  return undefined;
}

/** Every import that runs against the layers, as "<file> imports "<specifier>" (<target>): <why>". Pure. */
export function violations(imports: readonly SourceImport[]): string[] {
  const found: string[] = [];
  for (const { file, specifier, target } of imports) {
    const where = `${file} imports "${specifier}" (${target})`;
    const zone = longestMatch(file, Object.keys(MAY_IMPORT));
    if (!zone) {
      found.push(`${where}: ${file} is in no known folder; add its folder to the rules`);
      continue;
    }
    const allowed = MAY_IMPORT[zone]!;
    const zoneAllows = longestMatch(target, allowed) !== undefined;
    if (!zoneAllows) found.push(`${where}: ${zone} may import only ${allowed.join(", ")}`);
    const guarded = longestMatch(target, Object.keys(IMPORTED_ONLY_BY));
    if (guarded && !longestMatch(file, IMPORTED_ONLY_BY[guarded]!)) found.push(`${where}: only ${IMPORTED_ONLY_BY[guarded]!.join(", ")} may import ${guarded}`);
    // The inner order speaks only where the folder's own rule (stricter for plan/) has not already.
    const inner = file.startsWith("orchestrator/") && zoneAllows ? innerOrderProblem(file, target) : undefined;
    if (inner) found.push(`${where}: ${inner}`);
  }
  return found;
}

/** Names in the rules that match no file (a rule left behind by a move), and orchestrator/ files outside the inner order. Pure. */
export function ruleDrift(files: readonly string[]): string[] {
  const named = [...Object.keys(MAY_IMPORT), ...Object.values(IMPORTED_ONLY_BY).flat(), ...ORCHESTRATOR_ORDER.flatMap((rank) => rank.folders)];
  const stale = [...new Set(named)].filter((name) => !files.some((file) => file.startsWith(name))).map((name) => `the rules name ${name}, which holds no file`);
  const unplaced = files
    .filter((file) => file.startsWith("orchestrator/") && !placeOf(file))
    .map((file) => `${file} is in no folder of the inner order of orchestrator/; put it in one, or add its folder to ORCHESTRATOR_ORDER`);
  return [...stale, ...unplaced];
}

/** The folders of the product whose imports go round in a circle, each with the imports that close it. Pure. */
export function folderCycles(imports: readonly SourceImport[]): string[] {
  const edges = imports
    .map((i) => ({ ...i, from: path.posix.dirname(i.file), to: path.posix.dirname(i.target) }))
    .filter((edge) => edge.from !== edge.to);
  const graph = new Map<string, Set<string>>();
  for (const { from, to } of edges) {
    if (!graph.has(to)) graph.set(to, new Set());
    graph.set(from, (graph.get(from) ?? new Set()).add(to));
  }
  return stronglyConnected(graph)
    .filter((component) => component.length > 1)
    .map((component) => component.sort())
    .sort((a, b) => a[0]!.localeCompare(b[0]!))
    .map((component) => {
      const inside = edges
        .filter((edge) => component.includes(edge.from) && component.includes(edge.to))
        .map((edge) => `${edge.file} imports "${edge.specifier}" (${edge.target})`)
        .sort();
      return `folders ${component.map((folder) => `${folder}/`).join(", ")} import each other: ${inside.join("; ")}`;
    });
}

/** Tarjan's strongly connected components of a directed graph. Pure. */
export function stronglyConnected(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const successor of graph.get(node) ?? []) {
      if (!index.has(successor)) {
        visit(successor);
        low.set(node, Math.min(low.get(node)!, low.get(successor)!));
      } else if (onStack.has(successor)) {
        low.set(node, Math.min(low.get(node)!, index.get(successor)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component);
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}
