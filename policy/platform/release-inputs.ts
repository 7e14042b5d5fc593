import * as path from "node:path";

// The sentinels @pulumi/policy puts where a preview does not know a value yet (proxy.js, marked
// internal there, so they are repeated here).
const UNKNOWN_SENTINELS = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);
// The property the policy SDK's unknown-checking proxy answers with the object behind it.
const PROXY_TARGET = "__getSpecialProxyTarget";

const isUnknown = (value: unknown): boolean => typeof value === "string" && UNKNOWN_SENTINELS.has(value);

/** Where `helm template` takes the chart from, as the Release's inputs say. */
export type ChartLocation =
  | { readonly kind: "local"; readonly path: string }
  | { readonly kind: "repository"; readonly chart: string; readonly repo: string }
  | { readonly kind: "oci"; readonly chart: string };

export interface ReleaseRender {
  readonly release: string;
  /** The chart's name: a mirror archive's file name without its version, or the repository chart's name. */
  readonly chart: string;
  readonly location: ChartLocation;
  readonly version: string;
  /** Unknown during a first preview (the layer's Namespace is made in the same run); rendered in "default" then. */
  readonly namespace: string;
  /** The values with every value the preview does not know yet left out. */
  readonly values: Record<string, unknown>;
  /** Dotted paths of the values left out. */
  readonly unknownValues: readonly string[];
}

export type ReleaseReading = { readonly kind: "render"; readonly render: ReleaseRender } | { readonly kind: "skip"; readonly release: string; readonly reason: string };

/** The Release's inputs without the policy SDK's proxy, unknowns left as sentinels to be seen rather than thrown. */
export function rawInputs(props: Record<string, unknown>): Record<string, unknown> {
  return ((props as Record<string, unknown>)[PROXY_TARGET] as Record<string, unknown> | undefined) ?? props;
}

/** Values with unknown leaves removed, and the paths removed. Pure. */
export function knownValues(value: unknown, at: string[] = []): { value: unknown; unknown: string[] } {
  if (isUnknown(value)) return { value: undefined, unknown: [at.join(".") || "values"] };
  if (Array.isArray(value)) {
    const items = value.map((item, index) => knownValues(item, [...at, String(index)]));
    return { value: items.filter((item) => item.value !== undefined).map((item) => item.value), unknown: items.flatMap((item) => item.unknown) };
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, knownValues(item, [...at, key])] as const);
    return {
      value: Object.fromEntries(entries.filter(([, item]) => item.value !== undefined).map(([key, item]) => [key, item.value])),
      unknown: entries.flatMap(([, item]) => item.unknown),
    };
  }
  return { value, unknown: [] };
}

function chartName(chart: string, version: string): string {
  const base = path.basename(chart).replace(/\.tgz$/, "");
  for (const suffix of [`-${version}`, `-v${version.replace(/^v/, "")}`, `-${version.replace(/^v/, "")}`]) {
    if (base.endsWith(suffix)) return base.slice(0, -suffix.length);
  }
  return base;
}

/** What to render for a `kubernetes:helm.sh/v3:Release`, or why it cannot be rendered in this preview. Pure. */
export function readRelease(inputs: Record<string, unknown>): ReleaseReading {
  const release = typeof inputs.name === "string" && !isUnknown(inputs.name) ? inputs.name : "(unnamed)";
  const chart = inputs.chart;
  if (typeof chart !== "string" || isUnknown(chart) || chart === "") return { kind: "skip", release, reason: "its chart is not known until deploy" };
  const version = typeof inputs.version === "string" && !isUnknown(inputs.version) ? inputs.version : "";
  const repo = (inputs.repositoryOpts as { repo?: unknown } | undefined)?.repo;
  const location: ChartLocation =
    chart.startsWith("oci://")
      ? { kind: "oci", chart }
      : typeof repo === "string" && !isUnknown(repo) && repo !== ""
        ? { kind: "repository", chart, repo }
        : { kind: "local", path: chart };
  if (isUnknown(inputs.values)) return { kind: "skip", release, reason: "its values are not known until deploy" };
  const known = knownValues(inputs.values ?? {});
  const namespace = typeof inputs.namespace === "string" && !isUnknown(inputs.namespace) && inputs.namespace !== "" ? inputs.namespace : "default";
  return {
    kind: "render",
    render: {
      release: release === "(unnamed)" ? chartName(chart, version) : release,
      chart: chartName(chart, version),
      location,
      version,
      namespace,
      values: (known.value ?? {}) as Record<string, unknown>,
      unknownValues: known.unknown,
    },
  };
}
