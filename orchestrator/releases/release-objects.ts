import { gunzipSync } from "node:zlib";
import { CORE_SCHEMA, loadAll } from "js-yaml";
import type { PropertyChange, ResourceChange } from "../model/changes";
import { manifestSubsetDrift } from "./manifest-subset";
import { secretDrift } from "./secret-drift";

/** A Kubernetes object as a Helm release manifest or the API server has it; drift reads any of its fields. */
export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

/** What Helm stores of a release: its name, namespace, revision and rendered manifest. */
export interface HelmRelease {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  readonly manifest: string;
  /** The values the release was installed with. */
  readonly config?: Readonly<Record<string, unknown>>;
}

/** Helm keeps each release revision in a Secret: base64 (by the API) of base64 of gzipped JSON. Pure. */
export function decodeReleaseSecret(releaseField: string): HelmRelease {
  const gzipped = Buffer.from(Buffer.from(releaseField, "base64").toString("utf8"), "base64");
  return JSON.parse(gunzipSync(gzipped).toString("utf8")) as HelmRelease;
}

const CLUSTER_SCOPED = new Set([
  "Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration", "APIService", "PriorityClass", "StorageClass", "IngressClass", "CSIDriver",
  "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
]);

/**
 * The objects of a release manifest, each with the namespace Helm put it in. js-yaml with the YAML
 * 1.2 core schema reads the same objects as the yaml package, ten times faster: drift parses every
 * release (about 140,000 lines of manifests locally, 3 s of CPU with yaml). Pure.
 */
export function manifestObjects(release: HelmRelease): KubeObject[] {
  return (loadAll(release.manifest, undefined, { schema: CORE_SCHEMA }) as (KubeObject | null)[])
    .filter((object): object is KubeObject => Boolean(object?.kind && object.metadata?.name))
    .map((object) =>
      CLUSTER_SCOPED.has(object.kind) || object.metadata.namespace ? object : { ...object, metadata: { ...object.metadata, namespace: release.namespace } },
    );
}

/** The API path of an object; the plural follows Kubernetes' regular rule (the kinds charts render follow it). Pure. */
export function objectPath(object: KubeObject): string {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const kind = object.kind.toLowerCase();
  const plural = kind.endsWith("y") ? `${kind.slice(0, -1)}ies` : kind.endsWith("s") ? `${kind}es` : `${kind}s`;
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const namespace = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : "";
  return `${base}${namespace}/${plural}/${object.metadata.name}`;
}

/** The Pulumi type token of an object's kind, so release drift reads like the engine's. Pure. */
export function typeToken(object: KubeObject): string {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["core", object.apiVersion];
  return `kubernetes:${group}/${version}:${object.kind}`;
}

/**
 * How a live object differs from what its release installed: missing, or any field the manifest
 * sets with another value (see manifestSubsetDrift). Secret values are never shown. Undefined when it does not. Pure.
 */
export function objectDrift(release: string, desired: KubeObject, live: KubeObject | undefined): ResourceChange | undefined {
  const name = desired.metadata.namespace ? `${desired.metadata.namespace}/${desired.metadata.name}` : desired.metadata.name;
  const change = (op: string, properties: PropertyChange[]): ResourceChange => ({ urn: `helm:${release}::${typeToken(desired)}::${name}`, type: typeToken(desired), name, op, properties });
  if (!live) return change("delete", [{ path: "(object)", kind: "delete", old: `installed by Helm release ${release}`, new: "missing" }]);
  const properties = desired.kind === "Secret" ? secretDrift(desired, live) : manifestSubsetDrift(desired, live);
  return properties.length > 0 ? change("update", properties) : undefined;
}
