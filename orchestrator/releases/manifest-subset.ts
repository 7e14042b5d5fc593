import type { PropertyChange } from "../model/changes";
import { sameQuantity } from "./quantity";

type Json = unknown;
type Fields = Readonly<Record<string, Json>>;

/**
 * The keys Kubernetes merges these lists by (strategic merge patch), so an item is found by its key
 * and not by its place. `ports` holds container ports (containerPort) or Service ports (port); a name, when every port has one, names them best.
 */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = {
  containers: ["name"],
  initContainers: ["name"],
  ephemeralContainers: ["name"],
  env: ["name"],
  volumes: ["name"],
  volumeMounts: ["mountPath"],
  volumeDevices: ["devicePath"],
  imagePullSecrets: ["name"],
  webhooks: ["name"],
  versions: ["name"],
  hostAliases: ["ip"],
  topologySpreadConstraints: ["topologyKey"],
  ports: ["name", "containerPort", "port"],
};

/** Maps whose keys are data, not field names: their keys are always written `["key"]`. */
const KEYED_MAPS = new Set(["labels", "annotations", "data", "binaryData", "stringData", "matchLabels", "nodeSelector"]);

/** Fields whose values are resource quantities, by the name of the map that holds them or their own name. */
const QUANTITY_MAPS = new Set(["requests", "limits", "hard", "default", "defaultRequest", "min", "max", "maxLimitRequestRatio", "capacity", "overhead"]);
const QUANTITY_FIELDS = new Set(["sizeLimit", "storage"]);

/** Where a value sits: its path for the report, its field name and the name of the field that holds it. */
interface Place {
  readonly path: string;
  readonly field: string;
  readonly parent: string;
}

/**
 * Every field the manifest sets, compared with the live object's (manifest ⊆ live): what the
 * server adds (defaults, status, its own metadata) and items added beside the manifest's are not
 * drift. The object's own metadata is compared only in the labels and annotations it sets. Pure.
 */
export function manifestSubsetDrift(desired: Fields, live: Fields): PropertyChange[] {
  const changes: PropertyChange[] = [];
  for (const [key, value] of Object.entries(desired)) {
    if (key === "status" || key === "apiVersion" || key === "kind") continue;
    if (key === "metadata") {
      const metadata = (desired.metadata ?? {}) as Fields;
      const liveMetadata = (live.metadata ?? {}) as Fields;
      for (const map of ["labels", "annotations"]) compare(metadata[map], liveMetadata[map], { path: `metadata.${map}`, field: map, parent: "metadata" }, changes);
      continue;
    }
    compare(value, live[key], { path: key, field: key, parent: "" }, changes);
  }
  return changes;
}

function compare(desired: Json, live: Json, at: Place, changes: PropertyChange[]): void {
  if (desired === undefined || desired === null) return;
  if (live === undefined || live === null) {
    // The server drops zero values of optional fields ({}, [], "", false, 0, null) from what it returns.
    if (isZero(desired)) return;
    if (isObject(desired)) return compareFields(desired, {}, at, changes);
    changes.push({ path: at.path, kind: "delete", old: desired, new: undefined });
    return;
  }
  if (isObject(desired)) {
    if (!isObject(live)) changes.push({ path: at.path, kind: "update", old: desired, new: live });
    else compareFields(desired, live, at, changes);
    return;
  }
  if (Array.isArray(desired)) return compareList(desired, live, at, changes);
  if (!sameScalar(desired, live, at)) changes.push({ path: at.path, kind: "update", old: desired, new: live });
}

function compareFields(desired: Fields, live: Fields, at: Place, changes: PropertyChange[]): void {
  for (const [key, value] of Object.entries(desired)) compare(value, live[key], { path: childPath(at, key), field: key, parent: at.field }, changes);
}

function compareList(desired: readonly Json[], live: Json, at: Place, changes: PropertyChange[]): void {
  if (desired.length === 0) return;
  if (!Array.isArray(live)) return void changes.push({ path: at.path, kind: "update", old: desired, new: live });
  const mergeKey = (MERGE_KEYS[at.field] ?? []).find((key) => desired.every((item) => isObject(item) && item[key] !== undefined));
  if (mergeKey) {
    // Each live item answers one manifest item, so a key a chart repeats (two env entries of one name) pairs in order.
    const taken = new Set<number>();
    for (const item of desired as Fields[]) {
      const index = live.findIndex((candidate, i) => !taken.has(i) && isObject(candidate) && String(candidate[mergeKey]) === String(item[mergeKey]) && sameProtocol(item, candidate));
      const itemAt = { ...at, path: `${at.path}[${mergeKey}=${String(item[mergeKey])}]` };
      if (index < 0) changes.push({ path: itemAt.path, kind: "delete", old: item, new: undefined });
      else compareFields(item, live[index] as Fields, itemAt, changes);
      taken.add(index);
    }
    return;
  }
  // Lists without a merge key are replaced whole by the server: items are compared in place.
  if (desired.every(isObject) && live.length >= desired.length) {
    desired.forEach((item, index) => compare(item, live[index], { ...at, path: `${at.path}[${index}]` }, changes));
    return;
  }
  const same = desired.length === live.length && desired.every((item, index) => sameScalar(item, live[index], at) || JSON.stringify(item) === JSON.stringify(live[index]));
  if (!same) changes.push({ path: at.path, kind: "update", old: desired, new: live });
}

/** A container or Service port is the same port only with the same protocol (TCP when unset). */
function sameProtocol(desired: Fields, live: Fields): boolean {
  return (desired.protocol ?? "TCP") === (live.protocol ?? "TCP");
}

/** Equal as the API server stores them: ports and intOrString as number or string, quantities in canonical form. */
function sameScalar(desired: Json, live: Json, at: Place): boolean {
  if (desired === live) return true;
  if ((typeof desired === "string" || typeof desired === "number" || typeof desired === "boolean") && String(desired) === String(live)) return true;
  return (QUANTITY_MAPS.has(at.parent) || QUANTITY_FIELDS.has(at.field)) && sameQuantity(desired, live);
}

function childPath(at: Place, key: string): string {
  return !KEYED_MAPS.has(at.field) && /^[A-Za-z_$][\w$]*$/.test(key) ? `${at.path}.${key}` : `${at.path}["${key}"]`;
}

function isObject(value: Json): value is Fields {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isZero(value: Json): boolean {
  if (value === null || value === undefined || value === "" || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.values(value).every(isZero);
}
