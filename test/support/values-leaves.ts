/** A leaf of a values tree: a scalar or a list, with its key path. */
export interface ValuesLeaf {
  readonly path: readonly string[];
  readonly value: unknown;
}

/** Every leaf of a values tree; empty maps and nulls (which delete a chart default) are not leaves. */
export function valuesLeaves(values: Readonly<Record<string, unknown>>, prefix: readonly string[] = []): ValuesLeaf[] {
  return Object.entries(values).flatMap(([key, value]): ValuesLeaf[] => {
    const path = [...prefix, key];
    if (value === null) return [];
    if (typeof value === "object" && !Array.isArray(value)) return valuesLeaves(value as Record<string, unknown>, path);
    return [{ path, value }];
  });
}

/** A different value of the same shape, so a chart that reads the key renders something else. */
export function changedValue(value: unknown): unknown {
  if (typeof value === "boolean") return !value;
  if (typeof value === "number") return value + 1;
  if (typeof value === "string") return `${value}-changed`;
  if (Array.isArray(value)) return value.length > 0 ? [] : ["changed"];
  return "changed";
}

/** A copy of `values` with the leaf at `path` set to `value`. */
export function withLeaf(values: Readonly<Record<string, unknown>>, path: readonly string[], value: unknown): Record<string, unknown> {
  const [key, ...rest] = path;
  const copy: Record<string, unknown> = { ...values };
  copy[key!] = rest.length === 0 ? value : withLeaf((values[key!] ?? {}) as Record<string, unknown>, rest, value);
  return copy;
}
