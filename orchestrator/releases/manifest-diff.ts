import type { PropertyChange, ResourceChange } from "../model/changes";
import { typeToken, type KubeObject } from "./release-objects";

/** How the objects of one rendering of a release differ from another's, object by object and field by field. Pure. */
export function diffManifests(release: string, before: readonly KubeObject[], after: readonly KubeObject[]): ResourceChange[] {
  const key = (o: KubeObject) => `${typeToken(o)}::${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  const old = new Map(before.map((o) => [key(o), o]));
  const changes: ResourceChange[] = [];
  const change = (o: KubeObject, op: string, properties: PropertyChange[]): ResourceChange => {
    const name = o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name;
    return { urn: `helm:${release}::${typeToken(o)}::${name}`, type: typeToken(o), name, op, properties };
  };
  for (const object of after) {
    const previous = old.get(key(object));
    old.delete(key(object));
    if (!previous) {
      changes.push(change(object, "create", []));
      continue;
    }
    const properties = diffLeaves(leaves(previous), leaves(object));
    if (properties.length > 0) changes.push(change(object, "update", properties));
  }
  for (const gone of old.values()) changes.push(change(gone, "delete", []));
  return changes;
}

function diffLeaves(before: ReadonlyMap<string, unknown>, after: ReadonlyMap<string, unknown>): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const [path, value] of after) {
    if (!before.has(path)) changes.push({ path, kind: "add", new: value });
    else if (JSON.stringify(before.get(path)) !== JSON.stringify(value)) changes.push({ path, kind: "update", old: before.get(path), new: value });
  }
  for (const [path, value] of before) if (!after.has(path)) changes.push({ path, kind: "delete", old: value });
  return changes;
}

/** Leaf values by path (`spec.template.spec.containers[0].resources.requests.cpu`). */
function leaves(value: unknown, path = "", into = new Map<string, unknown>()): Map<string, unknown> {
  if (Array.isArray(value)) value.forEach((item, index) => leaves(item, `${path}[${index}]`, into));
  else if (value !== null && typeof value === "object") for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, into);
  else into.set(path, value);
  return into;
}
