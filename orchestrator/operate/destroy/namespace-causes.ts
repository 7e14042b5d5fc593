/** What the orchestrator reads of a Namespace. */
export interface NamespaceView {
  readonly metadata: { readonly name: string; readonly deletionTimestamp?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly status?: { readonly phase?: string; readonly conditions?: readonly NamespaceCondition[] };
}

export interface NamespaceCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

/** An APIService and whether it is available, as far as causes need it. */
export interface ApiServiceView {
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly service?: { readonly namespace?: string; readonly name?: string } | null };
  readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string; readonly message?: string }[] };
}

/** One reason a namespace stays Terminating, with what a person can do about it. */
/** An object left in a Terminating namespace, held by its finalizers. */
export interface HeldObject {
  /** The API resource, e.g. configmaps or certificates.cert-manager.io. */
  readonly resource: string;
  readonly name: string;
  readonly finalizers: readonly string[];
}

export interface StuckCause {
  /** The namespace condition it was read from, e.g. NamespaceFinalizersRemaining. */
  readonly condition: string;
  readonly text: string;
  readonly advice: string;
}

export interface StuckNamespace {
  readonly namespace: string;
  readonly terminatingForMs: number;
  readonly causes: readonly StuckCause[];
}

export interface StuckLayerNamespace extends StuckNamespace {
  readonly layer: string;
}

// Most telling first: a failing discovery or delete blocks everything else, remaining content is its consequence.
const ORDER = ["NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure", "NamespaceDeletionContentFailure", "NamespaceFinalizersRemaining", "NamespaceContentRemaining"];

/**
 * Why a namespace is still Terminating, from the conditions the namespace controller sets on it
 * (a condition counts while its status is True), naming unavailable APIServices behind a failing
 * discovery. Pure.
 */
export function stuckCauses(namespace: NamespaceView, apiServices: readonly ApiServiceView[] = [], held: readonly HeldObject[] = []): StuckCause[] {
  const name = namespace.metadata.name;
  const active = (namespace.status?.conditions ?? []).filter((c) => c.status === "True" && ORDER.includes(c.type));
  active.sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
  return active.map((condition) => {
    const message = (condition.message ?? "").trim();
    switch (condition.type) {
      case "NamespaceDeletionDiscoveryFailure":
        return discoveryCause(message, apiServices);
      case "NamespaceFinalizersRemaining": {
        const finalizers = [...message.matchAll(/([\w.\-/]+) in (\d+) resource instances/g)].map((m) => `${m[1]} (${m[2]} object${m[2] === "1" ? "" : "s"})`);
        const target = held[0] ? `${held[0].resource}/${held[0].name}` : "<resource>/<name>";
        const onObjects = held.length > 0 ? ` on ${held.slice(0, 5).map((o) => `${o.resource}/${o.name}`).join(", ")}${held.length > 5 ? ` and ${held.length - 5} more` : ""}` : "";
        const names = held.length > 0 ? [...new Set(held.flatMap((o) => o.finalizers))] : finalizers;
        return {
          condition: condition.type,
          text: `finalizer ${names.join(", ") || message}${onObjects}`,
          advice: `remove the finalizer (kubectl patch ${target} -n ${name} --type=merge -p '{"metadata":{"finalizers":null}}') or start the controller that owns it, then run destroy again`,
        };
      }
      case "NamespaceContentRemaining": {
        const remaining = [...message.matchAll(/([\w.-]+?)\.([\w.-]*) has (\d+) resource instances/g)].map((m) => `${m[3]} ${m[1]}${m[2] ? `.${m[2]}` : ""}`);
        return {
          condition: condition.type,
          text: `remaining: ${remaining.join(", ") || message}`,
          advice: `see what holds them: kubectl get ${[...message.matchAll(/([\w.-]+?)\.([\w.-]*) has/g)].map((m) => (m[2] ? `${m[1]}.${m[2]}` : m[1])).join(",") || "all"} -n ${name} -o yaml`,
        };
      }
      case "NamespaceDeletionContentFailure":
        return { condition: condition.type, text: `deleting its content fails (${message})`, advice: "fix what refuses the deletes (often an admission webhook whose service is gone), then run destroy again" };
      default:
        return { condition: condition.type, text: message, advice: "run destroy again once the API server's groups are valid" };
    }
  });
}

/** A discovery failure names group versions; each is served by the APIService `<version>.<group>`. */
function discoveryCause(message: string, apiServices: readonly ApiServiceView[]): StuckCause {
  const groupVersions = [...new Set([...message.matchAll(/([a-z0-9][a-z0-9.-]*\.[a-z0-9.-]+)\/(v[0-9a-z]+)/g)].map((m) => `${m[2]}.${m[1]}`))];
  const unavailable = apiServices.filter((s) => s.status?.conditions?.some((c) => c.type === "Available" && c.status !== "True"));
  const named = [...new Set([...groupVersions, ...unavailable.map((s) => s.metadata.name)])].sort();
  if (named.length === 0) return { condition: "NamespaceDeletionDiscoveryFailure", text: `API discovery fails (${message})`, advice: "fix or delete the unavailable APIService (kubectl get apiservices)" };
  const described = named.map((apiService) => {
    const view = apiServices.find((s) => s.metadata.name === apiService);
    const why = view?.status?.conditions?.find((c) => c.type === "Available" && c.status !== "True")?.message;
    return `APIService ${apiService} unavailable${why ? ` (${why})` : ""}`;
  });
  return {
    condition: "NamespaceDeletionDiscoveryFailure",
    text: described.join("; "),
    advice: `fix the service behind it or delete it: kubectl delete apiservice ${named.join(" ")}`,
  };
}

/** "namespace ingress stuck Terminating for 2m05s: <cause>; ... — to fix: <advice>" Pure. */
export function formatStuckNamespace(stuck: StuckNamespace): string {
  const seconds = Math.round(stuck.terminatingForMs / 1000);
  const causes = stuck.causes.length > 0 ? stuck.causes.map((c) => `${c.text} [${c.condition}]`).join("; ") : "no namespace condition explains it yet (its own finalizers remain)";
  const advice = stuck.causes.length > 0 ? ` (to fix: ${[...new Set(stuck.causes.map((c) => c.advice))].join("; ")})` : "";
  return `namespace ${stuck.namespace} stuck Terminating for ${seconds} s: ${causes}${advice}`;
}

/** The layer whose component made the namespace (its `platform.io/layer` label is `<layer>-ns`). Pure. */
export function layerOfNamespace(namespace: NamespaceView): string | undefined {
  const label = namespace.metadata.labels?.["platform.io/layer"];
  return label?.replace(/-ns$/, "");
}
