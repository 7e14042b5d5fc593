/** The seven platform layers, in the order a person reads them, and what each needs first. */
export const LAYER_NAMES = [
  "foundation",
  "ingress",
  "observability",
  "gitops",
  "security",
  "mesh",
  "data",
] as const;

export type LayerName = (typeof LAYER_NAMES)[number];

const CORE: readonly LayerName[] = ["foundation", "ingress", "observability"];

export const LAYER_DEPENDENCIES: Readonly<Record<LayerName, readonly LayerName[]>> = {
  foundation: [],
  ingress: ["foundation"],
  observability: ["foundation"],
  gitops: CORE,
  security: CORE,
  mesh: CORE,
  data: CORE,
};

export function isLayerName(value: string): value is LayerName {
  return (LAYER_NAMES as readonly string[]).includes(value);
}

/** The namespace a layer's charts are installed in, as its component creates it. */
export function layerNamespace(layer: LayerName, target: string): string {
  if (layer === "mesh") return "istio-system";
  if (layer === "foundation") return target === "local" ? "platform-system" : "kube-system";
  return layer;
}

/** Stacks are named `<layer>-<env>`; the layer never contains a dash, the environment may. */
export function stackName(layer: LayerName, env: string): string {
  return `${layer}-${env}`;
}

export function parseStackName(name: string): { layer: LayerName; env: string } | undefined {
  const dash = name.indexOf("-");
  if (dash <= 0) return undefined;
  const layer = name.slice(0, dash);
  const env = name.slice(dash + 1);
  return isLayerName(layer) && env.length > 0 ? { layer, env } : undefined;
}
