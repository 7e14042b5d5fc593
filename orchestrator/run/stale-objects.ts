/**
 * An object an operation needed that the cluster does not have, though the stack's state may say it
 * exists: a namespace deleted after the state last saw it, or a CRD (its kind is not served).
 */
export type StaleObject = { readonly kind: "namespace"; readonly name: string } | { readonly kind: "crd"; readonly resourceKind: string; readonly version: string };

const MISSING_NAMESPACE = /namespaces? "([a-z0-9.-]+)" not found/g;
const MISSING_KIND = /no matches for kind "([A-Za-z0-9]+)" in version "([^"]+)"/g;

/** The missing objects an engine error names, each once, in the order named. Pure. */
export function staleObjectsIn(message: string): StaleObject[] {
  const found = new Map<string, StaleObject>();
  for (const match of message.matchAll(MISSING_NAMESPACE)) found.set(`ns/${match[1]}`, { kind: "namespace", name: match[1]! });
  for (const match of message.matchAll(MISSING_KIND)) found.set(`crd/${match[2]}/${match[1]}`, { kind: "crd", resourceKind: match[1]!, version: match[2]! });
  return [...found.values()];
}

/** `namespace "observability"`, `the CRD of kind ServiceMonitor (monitoring.coreos.com/v1)`. Pure. */
export function describeStaleObject(object: StaleObject): string {
  return object.kind === "namespace" ? `namespace "${object.name}"` : `the CRD of kind ${object.resourceKind} (${object.version})`;
}

/** What the runner notes before it refreshes the stack and tries once more. Pure. */
export function staleRetryNote(objects: readonly StaleObject[]): string {
  return `${objects.map(describeStaleObject).join(", ")} not found in the cluster, though the stack's state may hold it: refreshing state from the cluster and trying once more`;
}

/** The error of an up that still failed after that refresh: what is missing and the command that repairs the state. Pure. */
export function staleFailure(message: string, objects: readonly StaleObject[], env: string): string {
  const missing = objects.map(describeStaleObject).join(", ");
  return `${message}\n${missing} is missing from the cluster while the stack's state or program expects it; reconcile the state with \`npm run up -- --env ${env} --refresh\`${objects.some((o) => o.kind === "crd") ? " (a missing CRD comes back with the layer whose chart installs it: include that layer)" : ""}`;
}

/** The missing objects an engine failure names, in its message or its transcript. Pure. */
export function staleObjectsOf(error: unknown): StaleObject[] {
  const detail = (error as { detail?: unknown })?.detail;
  return staleObjectsIn(`${(error as Error)?.message ?? String(error)}\n${typeof detail === "string" ? detail : ""}`);
}

/** The same failure with staleFailure's message, its transcript kept for history. Pure. */
export function withStaleFailure(error: unknown, objects: readonly StaleObject[], env: string): Error {
  const failure = new Error(staleFailure((error as Error)?.message ?? String(error), objects, env));
  const detail = (error as { detail?: unknown })?.detail;
  return typeof detail === "string" ? Object.assign(failure, { detail }) : failure;
}
