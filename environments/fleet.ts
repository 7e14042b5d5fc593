import type { PathIssue } from "./checks";
import { closestKey } from "./config-error";
import { isTree, mergeTrees, type Tree } from "./merge";

/**
 * A fleet: one environment file whose `fleet:` names members, each a full environment of its own
 * (stacks `<layer>-<fleet>-<member>`), inheriting the file's settings and overriding what differs,
 * and `rings:` that order them for rollouts.
 */
export interface FleetDeclaration {
  readonly members: Readonly<Record<string, Tree>>;
  readonly rings: readonly (readonly string[])[];
  readonly rollback?: FleetRollback;
}

/** What a failed member's promotion rolls back: the member alone, its whole ring, or every member the promotion reached. */
export const FLEET_ROLLBACK = ["member", "ring", "fleet"] as const;
export type FleetRollback = (typeof FLEET_ROLLBACK)[number];
const FLEET_KEYS = ["members", "rings", "rollback"];

export const MEMBER_KEY = /^[a-z0-9][a-z0-9-]*$/;

/** Keys a member may not override: a member is the fleet's file with overrides, never a fleet or another chain. */
const FIXED_KEYS = ["extends", "fleet"] as const;

export function memberEnvironmentName(fleet: string, member: string): string {
  return `${fleet}-${member}`;
}

/** Ways `name` could split into a fleet and a member key, longest fleet name first. */
export function fleetMemberCandidates(name: string): { readonly fleet: string; readonly member: string }[] {
  const found: { fleet: string; member: string }[] = [];
  for (let at = name.lastIndexOf("-"); at > 0; at = name.lastIndexOf("-", at - 1)) {
    found.push({ fleet: name.slice(0, at), member: name.slice(at + 1) });
  }
  return found;
}

/**
 * Problems of a `fleet:` value (members, rings) found before any member is validated: paths are
 * relative to the environment file; `environments` are the files in the folder, which a member's
 * full name must not also name.
 */
export function fleetProblems(fleetName: string, value: unknown, environments: readonly string[]): PathIssue[] {
  if (!isTree(value)) return [{ path: "fleet", message: "expected a mapping with members: (name -> overrides) and rings: (lists of member names)" }];
  const found: PathIssue[] = [];
  for (const key of Object.keys(value)) {
    if (FLEET_KEYS.includes(key)) continue;
    const near = closestKey(key, FLEET_KEYS);
    found.push({ path: `fleet.${key}`, message: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ""} (valid: ${FLEET_KEYS.join(", ")})` });
  }
  if (value.rollback !== undefined && !FLEET_ROLLBACK.includes(value.rollback as FleetRollback)) {
    found.push({ path: "fleet.rollback", message: `expected ${FLEET_ROLLBACK.join(", ")} (what a failed member's promotion rolls back; member when omitted)` });
  }
  const members = value.members;
  if (!isTree(members) || Object.keys(members).length === 0) {
    found.push({ path: "fleet.members", message: "expected at least one member: a name such as eu mapped to its overrides ({} for none)" });
    return found;
  }
  const keys = Object.keys(members);
  for (const key of keys) {
    const at = `fleet.members.${key}`;
    if (!MEMBER_KEY.test(key)) {
      found.push({ path: at, message: `"${key}" is not a member name: expected lowercase letters, digits and dashes such as eu or canary` });
      continue;
    }
    const overrides = members[key] ?? {};
    if (!isTree(overrides)) {
      found.push({ path: at, message: "expected a mapping of the settings this member overrides, such as { region: eu-west-1 } ({} for none)" });
      continue;
    }
    for (const fixed of FIXED_KEYS) {
      if (fixed in overrides) found.push({ path: `${at}.${fixed}`, message: `a member cannot set ${fixed}: it takes everything else from the fleet's file; remove it` });
    }
    const full = memberEnvironmentName(fleetName, key);
    if (environments.includes(full)) {
      found.push({ path: at, message: `member ${key} would be environment ${full}, which ${full}.yaml already is; rename the member or the file` });
    }
  }
  found.push(...ringProblems(value.rings, keys));
  return found;
}

function ringProblems(rings: unknown, members: readonly string[]): PathIssue[] {
  const listed = `members: ${members.join(", ")}`;
  if (!Array.isArray(rings) || rings.length === 0) {
    return [{ path: "fleet.rings", message: `expected a list of rings, each a list of member names, canary first, such as [[canary], [eu, us]] (${listed})` }];
  }
  const found: PathIssue[] = [];
  const ringOf = new Map<string, number>();
  rings.forEach((ring: unknown, index) => {
    const at = `fleet.rings.${index}`;
    if (!Array.isArray(ring) || ring.length === 0) {
      found.push({ path: at, message: `expected a non-empty list of member names (${listed})` });
      return;
    }
    for (const member of ring) {
      if (typeof member !== "string" || !members.includes(member)) {
        const near = typeof member === "string" ? closestKey(member, members) : undefined;
        found.push({ path: at, message: `"${String(member)}" is not a member of this fleet${near ? `; did you mean "${near}"?` : ""} (${listed})` });
      } else if (ringOf.has(member)) {
        found.push({ path: at, message: `member ${member} is already in ring ${ringOf.get(member)}; a member belongs to one ring` });
      } else {
        ringOf.set(member, index);
      }
    }
  });
  const missing = members.filter((member) => !ringOf.has(member) && MEMBER_KEY.test(member));
  if (missing.length > 0) found.push({ path: "fleet.rings", message: `member${missing.length === 1 ? "" : "s"} ${missing.join(", ")} in no ring; add each member to one ring` });
  return found;
}

/** The document of one member: the fleet's merged document without `fleet:`, with the member's overrides merged over it. */
export function memberTree(fleetDocument: Tree, member: string): { readonly tree: Tree; readonly overridden: ReadonlySet<string> } {
  const { fleet, ...shared } = fleetDocument;
  const overrides = (isTree(fleet) && isTree(fleet.members) && isTree(fleet.members[member]) ? fleet.members[member] : {}) as Tree;
  const tree = mergeTrees(shared, overrides, member, new Map());
  return { tree, overridden: new Set(leafPaths(overrides)) };
}

/** Whether the member itself set `path` or a value that holds it (not a mapping it only reached into). */
export function setByMember(path: string, overridden: ReadonlySet<string>): boolean {
  const keys = path.split(".");
  return keys.some((_, index) => overridden.has(keys.slice(0, index + 1).join(".")));
}

function leafPaths(tree: Tree, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return isTree(value) && Object.keys(value).length > 0 ? leafPaths(value, path) : [path];
  });
}

/** Member keys of a fleet value, in the order its rings list them. */
export function ringsOf(value: FleetDeclaration, fleetName: string): string[][] {
  return value.rings.map((ring) => ring.map((member) => memberEnvironmentName(fleetName, member)));
}
