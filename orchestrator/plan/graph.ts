/**
 * A dependency graph over named nodes: generic and pure, so the planner, the scheduler and the
 * benchmark (10,000 synthetic stacks) share it.
 */
export interface DependencyGraph {
  /** Node names in a stable order (insertion order). */
  readonly nodes: readonly string[];
  /** name -> the names it needs first. */
  readonly dependencies: ReadonlyMap<string, readonly string[]>;
  /** name -> the names that need it. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
}

export class GraphError extends Error {
  override readonly name = "GraphError";
}

export function makeGraph(edges: ReadonlyMap<string, readonly string[]>): DependencyGraph {
  const dependents = new Map<string, string[]>();
  for (const name of edges.keys()) dependents.set(name, []);
  for (const [name, needs] of edges) {
    for (const need of needs) {
      const list = dependents.get(need);
      if (!list) throw new GraphError(`${name} depends on ${need}, which is not in the plan`);
      list.push(name);
    }
  }
  const graph = { nodes: [...edges.keys()], dependencies: edges, dependents };
  const cycle = findCycle(graph);
  if (cycle) throw new GraphError(`dependency cycle: ${cycle.join(" -> ")}`);
  return graph;
}

/** A cycle as a closed path (first name repeated at the end), or undefined. Iterative, so deep graphs cannot overflow the stack. */
export function findCycle(graph: Pick<DependencyGraph, "nodes" | "dependencies">): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  for (const root of graph.nodes) {
    if (state.has(root)) continue;
    const path: string[] = [];
    const stack: Array<{ name: string; next: number }> = [{ name: root, next: 0 }];
    state.set(root, "open");
    path.push(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const needs = graph.dependencies.get(top.name) ?? [];
      if (top.next < needs.length) {
        const need = needs[top.next++]!;
        const seen = state.get(need);
        if (seen === "open") return [...path.slice(path.indexOf(need)), need];
        if (seen === undefined) {
          state.set(need, "open");
          path.push(need);
          stack.push({ name: need, next: 0 });
        }
      } else {
        state.set(top.name, "done");
        path.pop();
        stack.pop();
      }
    }
  }
  return undefined;
}

/** Dependencies before dependents (Kahn's algorithm, ties in node order). */
export function topologicalOrder(graph: DependencyGraph): string[] {
  const remaining = new Map(graph.nodes.map((name) => [name, graph.dependencies.get(name)!.length]));
  const ready = graph.nodes.filter((name) => remaining.get(name) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const name = ready[i]!;
    order.push(name);
    for (const dependent of graph.dependents.get(name)!) {
      const left = remaining.get(dependent)! - 1;
      remaining.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}

/** The same nodes with every edge turned around: the order destroy must follow. */
export function reverseGraph(graph: DependencyGraph): DependencyGraph {
  return { nodes: graph.nodes, dependencies: graph.dependents, dependents: graph.dependencies };
}

/** Waves: each node's depth (longest chain of dependencies below it). A display of the plan, not a barrier. */
export function waves(graph: DependencyGraph): string[][] {
  const depth = new Map<string, number>();
  const result: string[][] = [];
  for (const name of topologicalOrder(graph)) {
    const level = Math.max(-1, ...graph.dependencies.get(name)!.map((need) => depth.get(need)!)) + 1;
    depth.set(name, level);
    (result[level] ??= []).push(name);
  }
  return result;
}

/** The longest chain by duration: the least wall time any schedule can achieve with unlimited parallelism. */
export function criticalPath(graph: DependencyGraph, duration: (name: string) => number): { path: string[]; total: number } {
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let last: string | undefined;
  for (const name of topologicalOrder(graph)) {
    let start = 0;
    let from: string | undefined;
    for (const need of graph.dependencies.get(name)!) {
      if (finish.get(need)! > start) {
        start = finish.get(need)!;
        from = need;
      }
    }
    finish.set(name, start + duration(name));
    via.set(name, from);
    if (last === undefined || finish.get(name)! > finish.get(last)!) last = name;
  }
  const path: string[] = [];
  for (let at = last; at !== undefined; at = via.get(at)) path.unshift(at);
  return { path, total: last === undefined ? 0 : finish.get(last)! };
}

/** `names` plus everything they depend on, transitively. */
export function withDependencies(graph: Pick<DependencyGraph, "dependencies">, names: readonly string[]): Set<string> {
  const keep = new Set<string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.pop()!;
    if (keep.has(name)) continue;
    keep.add(name);
    queue.push(...(graph.dependencies.get(name) ?? []));
  }
  return keep;
}
