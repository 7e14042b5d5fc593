/** A parsed YAML mapping, as environment files are. */
export type Tree = { [key: string]: unknown };

export function isTree(value: unknown): value is Tree {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Blueprint merge: mappings merge key by key, scalars and lists replace. `provenance` records,
 * for every path the override sets, which file set it last (so errors can name the right file).
 */
export function mergeTrees(base: Tree, override: Tree, file: string, provenance: Map<string, string>, prefix = ""): Tree {
  const merged: Tree = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const path = prefix ? `${prefix}.${key}` : key;
    provenance.set(path, file);
    merged[key] = isTree(value) && isTree(base[key]) ? mergeTrees(base[key] as Tree, value, file, provenance, path) : value;
  }
  return merged;
}

export function recordProvenance(tree: Tree, file: string, provenance: Map<string, string>, prefix = ""): void {
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    provenance.set(path, file);
    if (isTree(value)) recordProvenance(value, file, provenance, path);
  }
}

/** The file that set `path` or its nearest ancestor. */
export function fileFor(path: string, provenance: ReadonlyMap<string, string>, fallback: string): string {
  for (let current = path; current; current = current.includes(".") ? current.slice(0, current.lastIndexOf(".")) : "") {
    const file = provenance.get(current);
    if (file) return file;
  }
  return fallback;
}
