import { LAYER_DEPENDENCIES, LAYER_NAMES, type LayerName } from "./layers";
import { LAYER_COMPONENTS } from "./catalog";
import { closestKey } from "./config-error";
import { isTree, type Tree } from "./merge";

/** A problem found at a dotted path; the loader adds file and line. */
export interface PathIssue {
  readonly path: string;
  readonly message: string;
}

const SECRET_LIKE = /(password|passwd|token|secret|apikey|api_key|privatekey|private_key|credentials?)$/i;

/** Secret values belong in Pulumi secret config, never in YAML; `secrets:` lists names only. */
export function plainSecrets(tree: Tree, prefix = ""): PathIssue[] {
  const found: PathIssue[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (path === "secrets") continue;
    if (typeof value === "string" && SECRET_LIKE.test(key)) {
      found.push({ path, message: `looks like a secret value in plain YAML; remove it and run \`pulumi config set --secret ${key} --stack <layer>-<env>\`, then list "${key}" under secrets:` });
    } else if (isTree(value)) {
      found.push(...plainSecrets(value, path));
    }
  }
  return found;
}

export function unknownComponents(layers: Readonly<Record<LayerName, { components: Readonly<Record<string, unknown>> }>>): PathIssue[] {
  const found: PathIssue[] = [];
  for (const layer of LAYER_NAMES) {
    for (const key of Object.keys(layers[layer].components)) {
      if (LAYER_COMPONENTS[layer].includes(key)) continue;
      const near = closestKey(key, LAYER_COMPONENTS[layer]);
      found.push({
        path: `layers.${layer}.components.${key}`,
        message: `unknown component "${key}" in layer ${layer}${near ? `; did you mean "${near}"?` : ""} (valid: ${LAYER_COMPONENTS[layer].join(", ")})`,
      });
    }
  }
  return found;
}

export interface LayerDependencyView {
  readonly enabled: boolean;
  readonly dependsOn?: readonly LayerName[];
}

export function dependenciesOf(name: LayerName, layer: LayerDependencyView): readonly LayerName[] {
  return layer.dependsOn ?? LAYER_DEPENDENCIES[name];
}

/** Enabled layers that need a disabled one, and dependency cycles among layers (each named once). */
export function dependencyProblems(layers: Readonly<Record<LayerName, LayerDependencyView>>): PathIssue[] {
  const found: PathIssue[] = [];
  for (const name of LAYER_NAMES) {
    if (!layers[name].enabled) continue;
    for (const dependency of dependenciesOf(name, layers[name])) {
      if (!layers[dependency].enabled) {
        found.push({ path: `layers.${name}.dependsOn`, message: `${name} is enabled but depends on ${dependency}, which is disabled; enable ${dependency} or disable ${name}` });
      }
    }
  }
  const cycle = findCycle(layers);
  if (cycle) found.push({ path: `layers.${cycle[0]}.dependsOn`, message: `dependency cycle: ${cycle.join(" -> ")}; remove one of these dependsOn entries` });
  return found;
}

function findCycle(layers: Readonly<Record<LayerName, LayerDependencyView>>): LayerName[] | undefined {
  const state = new Map<LayerName, "visiting" | "done">();
  const stack: LayerName[] = [];
  const visit = (name: LayerName): LayerName[] | undefined => {
    if (state.get(name) === "done") return undefined;
    if (state.get(name) === "visiting") return [...stack.slice(stack.indexOf(name)), name];
    state.set(name, "visiting");
    stack.push(name);
    for (const dependency of dependenciesOf(name, layers[name])) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, "done");
    return undefined;
  };
  for (const name of LAYER_NAMES) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
