import { parseCpu, parseMemory } from "./quantity";

/** Requests in plain numbers: cpu in millicores, memory in bytes. */
export interface Requests {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

/** The parts of a rendered object that make pods. */
export interface PodMaker {
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: {
    readonly replicas?: number;
    readonly resources?: { readonly requests?: Readonly<Record<string, unknown>> };
    readonly template?: { readonly spec?: PodSpec };
  };
}

interface Container {
  readonly resources?: { readonly requests?: Readonly<Record<string, unknown>> };
}

interface PodSpec {
  readonly containers?: readonly Container[];
  readonly initContainers?: readonly Container[];
}

/** What the LimitRange of every platform namespace gives a container that sets no requests. */
export const NAMESPACE_DEFAULT_REQUESTS = { cpu: "50m", memory: "64Mi" } as const;

const ZERO: Requests = { cpuMillis: 0, memoryBytes: 0 };
const add = (a: Requests, b: Requests): Requests => ({ cpuMillis: a.cpuMillis + b.cpuMillis, memoryBytes: a.memoryBytes + b.memoryBytes });
const times = (a: Requests, n: number): Requests => ({ cpuMillis: a.cpuMillis * n, memoryBytes: a.memoryBytes * n });

/** A container's requests, the namespace's default (LimitRange) where it sets none: what the quota is charged. */
function containerRequests(container: Container, defaults: Requests): Requests {
  const requests = container.resources?.requests;
  return {
    cpuMillis: requests?.cpu !== undefined ? (parseCpu(String(requests.cpu)) ?? 0) : defaults.cpuMillis,
    memoryBytes: requests?.memory !== undefined ? (parseMemory(String(requests.memory)) ?? 0) : defaults.memoryBytes,
  };
}

/** A pod's effective requests, as the scheduler and quota count them: the larger of all app containers together and the largest init container. */
export function podRequests(spec: PodSpec, defaults: Requests): Requests {
  const app = (spec.containers ?? []).map((c) => containerRequests(c, defaults)).reduce(add, ZERO);
  const init = (spec.initContainers ?? []).map((c) => containerRequests(c, defaults)).reduce((a, b) => ({ cpuMillis: Math.max(a.cpuMillis, b.cpuMillis), memoryBytes: Math.max(a.memoryBytes, b.memoryBytes) }), ZERO);
  return { cpuMillis: Math.max(app.cpuMillis, init.cpuMillis), memoryBytes: Math.max(app.memoryBytes, init.memoryBytes) };
}

/**
 * What one rendered chart requests once running: every container of every pod it makes
 * (sidecars, init containers, hook and plain Jobs, DaemonSet pods on every node, the pods an
 * operator makes from its Prometheus or Alertmanager resource). Test hooks (`helm test`) never run on deploy. Pure.
 */
export function chartFootprint(objects: readonly PodMaker[], nodes: number, defaults: Requests): Requests {
  return objects.reduce((total, object) => {
    if (object.metadata.annotations?.["helm.sh/hook"]?.split(",").every((hook) => hook.startsWith("test"))) return total;
    const pod = object.spec?.template?.spec;
    switch (object.kind) {
      case "Deployment":
      case "StatefulSet":
        return add(total, times(podRequests(pod ?? {}, defaults), object.spec?.replicas ?? 1));
      case "DaemonSet":
        return add(total, times(podRequests(pod ?? {}, defaults), nodes));
      case "Job":
        return add(total, podRequests(pod ?? {}, defaults));
      case "Prometheus":
      case "Alertmanager":
        return add(total, times(containerRequests({ resources: object.spec?.resources }, defaults), object.spec?.replicas ?? 1));
      default:
        return total;
    }
  }, ZERO);
}
