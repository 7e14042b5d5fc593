import { stackIdOf, type Operation, type StackId } from "../model/stack";
import { LAYER_NAMES, isLayerName, stackName, type LayerName } from "../../environments/layers";
import { GraphError, makeGraph, reverseGraph, topologicalOrder, withDependencies, type DependencyGraph } from "./graph";

/** What planning reads of an environment: which layers are on and what they need. */
export interface PlanningEnvironment {
  readonly name: string;
  readonly file: string;
  readonly layers: Readonly<Record<LayerName, { readonly enabled: boolean; readonly dependsOn: readonly LayerName[] }>>;
}

export interface PlanRequest {
  readonly operation: Operation;
  /** A subset of layers; all enabled layers when omitted (an empty subset is refused). */
  readonly layers?: readonly string[];
  /** With a subset: also take what it needs (for destroy: what needs it). */
  readonly withDependencies?: boolean;
}

export interface StackPlan {
  readonly env: string;
  readonly operation: Operation;
  /** Stacks in a valid execution order. */
  readonly stacks: readonly StackId[];
  /** Edges in execution direction: for destroy, dependents come first. */
  readonly graph: DependencyGraph;
  /** Stacks the plan relies on but does not run (a subset without its dependencies). */
  readonly outside: readonly string[];
}

/** A plan that cannot be made; the message names the file, the field and the fix. */
export class PlanError extends Error {
  override readonly name = "PlanError";
}

export function planRun(env: PlanningEnvironment, request: PlanRequest): StackPlan {
  const enabled = LAYER_NAMES.filter((layer) => env.layers[layer].enabled);
  for (const layer of enabled) {
    for (const need of env.layers[layer].dependsOn) {
      if (!env.layers[need].enabled) {
        throw new PlanError(`${env.file}: layers.${layer} needs ${need}, which is disabled; enable layers.${need} or disable layers.${layer}`);
      }
    }
  }
  const edges = new Map(enabled.map((layer) => [stackName(layer, env.name), env.layers[layer].dependsOn.map((need) => stackName(need, env.name))]));
  let full: DependencyGraph;
  try {
    full = makeGraph(edges);
  } catch (error) {
    if (error instanceof GraphError) throw new PlanError(`${env.file}: layers.*.dependsOn: ${error.message}; remove one of these dependencies`);
    throw error;
  }
  const forward = request.operation === "destroy" ? reverseGraph(full) : full;
  const chosen = chooseStacks(env, enabled, forward, request);
  const kept = new Map(forward.nodes.filter((name) => chosen.has(name)).map((name) => [name, forward.dependencies.get(name)!.filter((need) => chosen.has(need))]));
  const graph = makeGraph(kept);
  const outside = [...new Set(forward.nodes.filter((name) => chosen.has(name)).flatMap((name) => forward.dependencies.get(name)!.filter((need) => !chosen.has(need))))];
  return {
    env: env.name,
    operation: request.operation,
    stacks: topologicalOrder(graph).map((name) => stackIdOf(name, env.name)),
    graph,
    outside,
  };
}

/** Why a --layers selection cannot be planned (empty, or naming no layer), or undefined when every name is a layer. Pure. */
export function layerSelectionProblem(layers: readonly string[]): string | undefined {
  if (layers.length === 0) return `names no layer; name one or more of ${LAYER_NAMES.join(", ")} (comma separated), or leave --layers out for all enabled layers`;
  const unknown = layers.find((layer) => !isLayerName(layer));
  return unknown === undefined ? undefined : `unknown layer "${unknown}"; layers are ${LAYER_NAMES.join(", ")}`;
}

/** The layers of a --layers selection; all layers when there is none. An explicit but empty selection is an error, not "all". */
export function selectedLayers(layers: readonly string[] | undefined): readonly LayerName[] | undefined {
  if (layers === undefined) return undefined;
  const problem = layerSelectionProblem(layers);
  if (problem) throw new PlanError(`--layers: ${problem}`);
  return layers.filter(isLayerName);
}

function chooseStacks(env: PlanningEnvironment, enabled: readonly LayerName[], graph: DependencyGraph, request: PlanRequest): Set<string> {
  const layers = selectedLayers(request.layers);
  if (!layers) return new Set(graph.nodes);
  const names: string[] = [];
  for (const layer of layers) {
    if (!enabled.includes(layer)) throw new PlanError(`--layers: ${layer} is disabled in ${env.file}; set layers.${layer}.enabled: true to run it`);
    names.push(stackName(layer, env.name));
  }
  return request.withDependencies ? withDependencies(graph, names) : new Set(names);
}
