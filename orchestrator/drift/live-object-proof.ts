import { isDeepStrictEqual } from "node:util";
import type { KubeObject } from "../releases/release-objects";

/** One resource of a stack's deployment export, as far as the proof reads it. */
export interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly custom?: boolean;
  readonly id?: string;
  readonly delete?: boolean;
  readonly pendingReplacement?: boolean;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

export interface StackState {
  readonly resources: readonly StateResource[];
  readonly pendingOperations: number;
}

/** What the cluster holds now of a stack's resources. */
export interface LiveView {
  /** The live object at a Kubernetes resource's API path; undefined when the API answered 404. */
  readonly object: (resource: KubeObject) => KubeObject | undefined;
  /** The newest revision Helm recorded of a release (`namespace/name`), whatever its status. */
  readonly releaseHead: (id: string) => { readonly version: number; readonly status: string } | undefined;
}

export type RealityProof = { readonly proven: true } | { readonly proven: false; readonly why: string };

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/**
 * Whether a refresh preview of the stack can only find nothing: every resource it would read is,
 * field for field, what the state recorded (status and bookkeeping aside), and every release is at
 * the revision the state recorded. Anything the proof cannot read (another cloud, a secret, an
 * unknown kind, a missing object) leaves the question to the engine. Stack references are the
 * caller's to prove (their upstream's outputs). Pure.
 */
export function realityProof(state: StackState, live: LiveView): RealityProof {
  if (state.pendingOperations > 0) return { proven: false, why: "pending operations in state" };
  for (const resource of state.resources) {
    const unproven = resourceProof(resource, live);
    if (unproven) return { proven: false, why: `${resource.urn.split("::").pop()}: ${unproven}` };
  }
  return { proven: true };
}

function resourceProof(resource: StateResource, live: LiveView): string | undefined {
  if (!resource.custom || resource.type.startsWith("pulumi:providers:") || resource.type === "pulumi:pulumi:StackReference") return undefined;
  if (resource.delete || resource.pendingReplacement) return "awaiting deletion or replacement";
  const outputs = resource.outputs ?? {};
  // The provider keeps its own copy of the inputs (`__inputs`) secret; a refresh does not compare it.
  if (Object.entries(outputs).some(([key, value]) => !key.startsWith("__") && containsSecret(value))) return "holds secrets the proof does not read";
  if (resource.type === HELM_RELEASE) return releaseProof(resource, live);
  if (!resource.type.startsWith("kubernetes:") || !isKubeObject(outputs)) return `${resource.type} is not read by the proof`;
  const object = live.object(outputs);
  if (!object) return "not found on the cluster";
  return isDeepStrictEqual(comparable(outputs), comparable(object)) ? undefined : "live object differs from state";
}

function releaseProof(resource: StateResource, live: LiveView): string | undefined {
  const status = (resource.outputs?.status ?? {}) as { revision?: unknown; status?: unknown };
  const head = live.releaseHead(resource.id ?? "");
  if (!head) return "no Helm release record";
  if (head.version !== status.revision || head.status !== status.status) return `Helm has revision ${head.version} (${head.status}), state ${String(status.revision)} (${String(status.status)})`;
  return undefined;
}

/**
 * The part of an object a refresh compares: no status, no resourceVersion, managed fields
 * without their times and without status writers (a quota's usage changes with every pod).
 */
export function comparable(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) if (!key.startsWith("__") && key !== "status") kept[key] = value;
  const { resourceVersion: _version, managedFields, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  const managers = ((managedFields ?? []) as Record<string, unknown>[])
    .filter((entry) => entry.subresource === undefined)
    .map(({ time: _time, ...entry }) => entry)
    .sort((a, b) => String(a.manager).localeCompare(String(b.manager)));
  return { ...kept, metadata: { ...metadata, managedFields: managers } };
}

export function isKubeObject(outputs: Readonly<Record<string, unknown>>): outputs is KubeObject {
  const metadata = outputs.metadata as { name?: unknown } | undefined;
  return typeof outputs.apiVersion === "string" && typeof outputs.kind === "string" && typeof metadata?.name === "string";
}

function containsSecret(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsSecret);
  if (value === null || typeof value !== "object") return false;
  if (SECRET_SIG in value) return true;
  return Object.values(value).some(containsSecret);
}

/** The resources and pending operations of `pulumi stack export` output. Pure. */
export function stackState(exported: unknown): StackState {
  const deployment = (exported as { deployment?: { resources?: StateResource[]; pending_operations?: unknown[] } }).deployment ?? {};
  return { resources: deployment.resources ?? [], pendingOperations: deployment.pending_operations?.length ?? 0 };
}
