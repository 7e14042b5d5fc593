import { makeGraph, type DependencyGraph } from "../../orchestrator/plan/graph";

/** A deterministic pseudo-random source, so every bench run measures the same DAGs. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * A layered random DAG: `layers` ranks of `width` nodes, each node depending on 1-3 nodes of
 * earlier ranks. Durations are uneven, which is what makes wave barriers costly.
 */
export function syntheticDag(nodes: number, width: number, random: () => number): { graph: DependencyGraph; duration: Map<string, number> } {
  const edges = new Map<string, string[]>();
  const duration = new Map<string, number>();
  const names: string[] = [];
  for (let i = 0; i < nodes; i++) {
    const name = `s${i}`;
    const rank = Math.floor(i / width);
    const earlier = rank === 0 ? [] : names.slice(0, rank * width);
    const count = earlier.length === 0 ? 0 : 1 + Math.floor(random() * 3);
    const needs = new Set<string>();
    for (let k = 0; k < count; k++) needs.add(earlier[earlier.length - 1 - Math.floor(random() * Math.min(earlier.length, width * 2))]!);
    edges.set(name, [...needs]);
    duration.set(name, 5 + Math.floor(random() ** 2 * 60));
    names.push(name);
  }
  return { graph: makeGraph(edges), duration };
}
