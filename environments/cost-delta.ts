import type { ComponentCost, CostEstimate } from "./cost";
import { LAYER_NAMES, type LayerName } from "./layers";
import { formatCpu, formatMemory } from "./quantity";

export interface LayerCostDelta {
  readonly layer: LayerName;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  /** What changed to move it: `mimir replicas 3 → 5`. */
  readonly causes: readonly string[];
}

export interface CostDelta {
  readonly currency: string;
  readonly layers: readonly LayerCostDelta[];
  readonly total: { readonly before: number; readonly after: number; readonly delta: number };
}

/** What a delta needs of the estimate it starts from; the history keeps this much of each. */
export type CostBasis = Pick<CostEstimate, "perLayer" | "components" | "total">;

/** Below a cent a month, a layer did not change. */
const UNCHANGED = 0.005;

function componentCause(before: ComponentCost | undefined, after: ComponentCost | undefined): string | undefined {
  if (!before) return `${after!.component} added`;
  if (!after) return `${before.component} removed`;
  const parts: string[] = [];
  if (before.replicas !== after.replicas) parts.push(`replicas ${before.replicas} → ${after.replicas}`);
  if (before.chartVersion !== after.chartVersion) parts.push(`chart ${before.chartVersion} → ${after.chartVersion}`);
  if (parts.length === 0 && (before.cpuMillis !== after.cpuMillis || before.memoryBytes !== after.memoryBytes)) {
    parts.push(`requests ${formatCpu(before.cpuMillis)} cpu, ${formatMemory(before.memoryBytes)} → ${formatCpu(after.cpuMillis)} cpu, ${formatMemory(after.memoryBytes)}`);
  }
  return parts.length > 0 ? `${after.component} ${parts.join(", ")}` : undefined;
}

/**
 * The monthly difference per layer between two estimates, each with its causes: the components
 * whose replicas, chart or requests moved, and `extraCauses` (a promotion's value changes). Pure.
 */
export function costDelta(before: CostBasis, after: CostEstimate, extraCauses: ReadonlyMap<LayerName, readonly string[]> = new Map()): CostDelta {
  const layers: LayerCostDelta[] = [];
  for (const layer of LAYER_NAMES) {
    const was = before.perLayer[layer] ?? 0;
    const is = after.perLayer[layer] ?? 0;
    if (Math.abs(is - was) < UNCHANGED) continue;
    const key = (c: ComponentCost) => c.component;
    const old = new Map(before.components.filter((c) => c.layer === layer).map((c) => [key(c), c]));
    const now = new Map(after.components.filter((c) => c.layer === layer).map((c) => [key(c), c]));
    const causes = [...new Set([...old.keys(), ...now.keys()])]
      .filter((name) => Math.abs((now.get(name)?.monthly ?? 0) - (old.get(name)?.monthly ?? 0)) >= UNCHANGED)
      .map((name) => componentCause(old.get(name), now.get(name)))
      .filter((cause): cause is string => cause !== undefined);
    layers.push({ layer, before: was, after: is, delta: is - was, causes: [...(extraCauses.get(layer) ?? []), ...causes] });
  }
  return { currency: after.priceList.currency, layers, total: { before: before.total, after: after.total, delta: after.total - before.total } };
}

const signed = (currency: string, amount: number) => `${amount < 0 ? "-" : "+"}${currency} ${Math.abs(amount).toFixed(2)}`;

/** One line a layer, `observability +USD 212.00/month: mimir replicas 3 → 5`, and the total. Pure. */
export function formatCostDelta(delta: CostDelta): string[] {
  const lines = delta.layers.map((l) => `${l.layer} ${signed(delta.currency, l.delta)}/month${l.causes.length > 0 ? `: ${l.causes.join("; ")}` : ""}`);
  lines.push(`total ${signed(delta.currency, delta.total.delta)}/month (${delta.currency} ${delta.total.before.toFixed(2)} → ${delta.total.after.toFixed(2)})`);
  return lines;
}

/** Leaf paths whose values differ between two value trees: `ingester.replicas 3 → 5`. Pure. */
export function valueChanges(before: unknown, after: unknown, at = ""): string[] {
  const isTree = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (isTree(before) && isTree(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].sort().flatMap((key) => valueChanges(before[key], after[key], at ? `${at}.${key}` : key));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const show = (v: unknown) => (v === undefined ? "(unset)" : JSON.stringify(v));
  return [`${at} ${show(before)} → ${show(after)}`];
}
