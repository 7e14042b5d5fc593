import type { PropertyChange, ResourceChange } from "../model/changes";

/** A previewed step, as the engine's `resourcePreEvent` metadata carries it (secrets masked as [secret]). */
export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly old?: { readonly type?: string; readonly inputs?: Record<string, unknown>; readonly outputs?: Record<string, unknown> };
  readonly new?: { readonly type?: string; readonly inputs?: Record<string, unknown>; readonly outputs?: Record<string, unknown> };
  readonly detailedDiff?: Record<string, { readonly diffKind: string; readonly inputDiff?: boolean }>;
  readonly diffs?: readonly string[];
}

const NO_CHANGE = new Set(["same", "refresh", "read"]);

/** The steps that change something, with the changed properties' old and new values. Pure. */
export function resourceChanges(steps: readonly PreviewStep[]): ResourceChange[] {
  return steps
    .filter((step) => !NO_CHANGE.has(step.op) && !step.urn.includes("::pulumi:pulumi:Stack::"))
    .map((step) => {
      const useInputs = (path: string) => step.detailedDiff?.[path]?.inputDiff === true;
      const paths = Object.keys(step.detailedDiff ?? {});
      const properties: PropertyChange[] = (paths.length > 0 ? paths : [...(step.diffs ?? [])]).map((path) => {
        const side = useInputs(path) ? "inputs" : "outputs";
        return {
          path,
          kind: step.detailedDiff?.[path]?.diffKind ?? "update",
          old: valueAt(step.old?.[side], path),
          new: valueAt(step.new?.[side], path),
        };
      });
      const type = step.new?.type ?? step.old?.type ?? step.urn.split("::")[2] ?? "";
      return { urn: step.urn, type, name: step.urn.split("::").pop() ?? step.urn, op: step.op, properties };
    });
}

/** Splits a Pulumi property path: `spec.hard["requests.cpu"]`, `containers[0].image`. */
export function parsePropertyPath(path: string): string[] {
  const segments: string[] = [];
  const pattern = /([^.[\]]+)|\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]/g;
  for (const match of path.matchAll(pattern)) segments.push(match[1] ?? match[2] ?? match[3]!);
  return segments;
}

export function valueAt(root: unknown, path: string): unknown {
  let current = root;
  for (const segment of parsePropertyPath(path)) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}
