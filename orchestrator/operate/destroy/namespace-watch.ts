import type { ClusterApi } from "../../cluster/kube-client";
import { formatStuckNamespace, layerOfNamespace, stuckCauses, type ApiServiceView, type HeldObject, type NamespaceView, type StuckLayerNamespace } from "./namespace-causes";

export interface WatchOptions {
  /** Layers whose stacks the destroy removes; their namespaces are watched. */
  readonly layers: ReadonlySet<string>;
  /** Progress lines while a namespace stays Terminating. */
  readonly note: (layer: string, line: string) => void;
  readonly pollMs?: number;
  /** A namespace Terminating this long is reported, and again every `repeatMs`. */
  readonly reportAfterMs?: number;
  readonly repeatMs?: number;
}

export interface NamespaceWatch {
  /** Stops watching and returns the namespaces still Terminating now, each with its causes. */
  stop(): Promise<StuckLayerNamespace[]>;
}

/**
 * Watches the namespaces of the layers a destroy removes. A namespace that stays Terminating is
 * reported while the engine waits for it, with the causes its status conditions give, so nobody
 * waits out the engine's timeout in silence.
 */
export function watchNamespaces(api: ClusterApi, options: WatchOptions): NamespaceWatch {
  const reportAfter = options.reportAfterMs ?? 20_000;
  const repeat = options.repeatMs ?? 30_000;
  const reported = new Map<string, number>();
  let failure: string | undefined;
  let stopped = false;
  let current: Promise<StuckLayerNamespace[]> = Promise.resolve([]);

  const poll = async (minimumMs: number): Promise<StuckLayerNamespace[]> => {
    const stuck = await terminating(api, options.layers, minimumMs);
    for (const namespace of stuck) {
      const last = reported.get(namespace.namespace);
      if (minimumMs > 0 && last !== undefined && Date.now() - last < repeat) continue;
      reported.set(namespace.namespace, Date.now());
      if (minimumMs > 0) options.note(namespace.layer, `${formatStuckNamespace(namespace)}; the engine gives up on it after the namespace delete timeout`);
    }
    return stuck;
  };
  let timer: NodeJS.Timeout | undefined;
  const next = () => {
    timer = setTimeout(() => {
      current = poll(reportAfter)
        .catch((error: Error) => {
          // Said once: the destroy goes on without the watch.
          if (failure === undefined) options.note([...options.layers][0] ?? "destroy", `cannot watch namespaces: ${(failure = error.message)}`);
          return [];
        })
        .finally(() => {
          if (!stopped) next();
        });
    }, options.pollMs ?? 5_000);
    timer.unref();
  };
  next();
  return {
    async stop() {
      if (stopped) return [];
      stopped = true;
      clearTimeout(timer);
      await current.catch(() => undefined);
      return poll(0).catch(() => []);
    },
  };
}

async function terminating(api: ClusterApi, layers: ReadonlySet<string>, minimumMs: number): Promise<StuckLayerNamespace[]> {
  const list = await api.get<{ items: NamespaceView[] }>("/api/v1/namespaces?labelSelector=platform.io%2Flayer");
  const now = Date.now();
  const found: StuckLayerNamespace[] = [];
  for (const namespace of list?.items ?? []) {
    const layer = layerOfNamespace(namespace);
    const since = namespace.metadata.deletionTimestamp ? Date.parse(namespace.metadata.deletionTimestamp) : undefined;
    if (!layer || !layers.has(layer) || since === undefined || now - since < minimumMs) continue;
    const conditions = namespace.status?.conditions ?? [];
    const discovery = conditions.some((c) => c.type === "NamespaceDeletionDiscoveryFailure" && c.status === "True");
    const apiServices = discovery ? ((await api.get<{ items: ApiServiceView[] }>("/apis/apiregistration.k8s.io/v1/apiservices"))?.items ?? []) : [];
    const held = await heldObjects(api, namespace);
    found.push({ namespace: namespace.metadata.name, layer, terminatingForMs: now - since, causes: stuckCauses(namespace, apiServices, held) });
  }
  return found;
}

/** The objects with finalizers among the resource types the namespace controller says remain. */
async function heldObjects(api: ClusterApi, namespace: NamespaceView): Promise<HeldObject[]> {
  const remaining = namespace.status?.conditions?.find((c) => c.type === "NamespaceContentRemaining" && c.status === "True")?.message ?? "";
  const held: HeldObject[] = [];
  for (const [, resource, group] of remaining.matchAll(/([\w-]+)\.([\w.-]*) has \d+ resource instances/g)) {
    const base = group ? await groupVersionPath(api, group!) : "/api/v1";
    if (!base) continue;
    const list = await api.get<{ items: { metadata: { name: string; finalizers?: string[] } }[] }>(`${base}/namespaces/${namespace.metadata.name}/${resource}`).catch(() => undefined);
    for (const item of list?.items ?? []) {
      if (item.metadata.finalizers?.length) held.push({ resource: group ? `${resource}.${group}` : resource!, name: item.metadata.name, finalizers: item.metadata.finalizers });
    }
  }
  return held;
}

async function groupVersionPath(api: ClusterApi, group: string): Promise<string | undefined> {
  const found = await api.get<{ preferredVersion?: { groupVersion: string } }>(`/apis/${group}`).catch(() => undefined);
  return found?.preferredVersion ? `/apis/${found.preferredVersion.groupVersion}` : undefined;
}
