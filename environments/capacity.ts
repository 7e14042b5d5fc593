import { LAYER_NAMES, type LayerName } from "./layers";
import type { EnvironmentSpec } from "./model";
import { formatCpu, formatMemory, parseCpu, parseMemory } from "./quantity";

export interface Amount {
  readonly cpuMillis: number;
  readonly memoryBytes: number;
}

export interface CapacityReport {
  readonly environment: string;
  readonly perLayer: Readonly<Partial<Record<LayerName, Amount>>>;
  /** Per component ("layer/component"), when counted from the rendered charts. */
  readonly perComponent?: Readonly<Record<string, Amount>>;
  /** Layers whose charts request more than their namespace quota. */
  readonly overQuota: readonly LayerName[];
  readonly requested: Amount;
  /** maxNodes × allocatable: what the cluster can grow to. */
  readonly capacity: Amount;
  /** desiredNodes × allocatable: what it starts with. */
  readonly desiredCapacity: Amount;
  readonly fits: boolean;
  readonly fitsDesired: boolean;
}

/**
 * Sums what every enabled component requests, per layer, against node capacity and the layer's
 * quota. `footprints` ("layer/component" -> requests of every pod its rendered chart makes) count
 * what really runs; without them, the environment's requests × replicas of the main workload. Pure.
 */
export function checkCapacity(env: EnvironmentSpec, footprints?: ReadonlyMap<string, Amount>): CapacityReport {
  const perLayer: Partial<Record<LayerName, Amount>> = {};
  const perComponent: Record<string, Amount> = {};
  const overQuota: LayerName[] = [];
  for (const layer of LAYER_NAMES) {
    const settings = env.layers[layer];
    if (!settings.enabled) continue;
    let cpuMillis = 0;
    let memoryBytes = 0;
    for (const [key, component] of Object.entries(settings.components)) {
      if (!component.enabled) continue;
      const amount = footprints?.get(`${layer}/${key}`) ?? {
        cpuMillis: (parseCpu(component.resources.requests.cpu) ?? 0) * component.replicas,
        memoryBytes: (parseMemory(component.resources.requests.memory) ?? 0) * component.replicas,
      };
      perComponent[`${layer}/${key}`] = amount;
      cpuMillis += amount.cpuMillis;
      memoryBytes += amount.memoryBytes;
    }
    perLayer[layer] = { cpuMillis, memoryBytes };
    if (cpuMillis > (parseCpu(settings.quota.cpu) ?? 0) || memoryBytes > (parseMemory(settings.quota.memory) ?? 0)) overQuota.push(layer);
  }
  const requested = Object.values(perLayer).reduce(
    (sum, amount) => ({ cpuMillis: sum.cpuMillis + amount.cpuMillis, memoryBytes: sum.memoryBytes + amount.memoryBytes }),
    { cpuMillis: 0, memoryBytes: 0 },
  );
  const node = { cpuMillis: parseCpu(env.cluster.nodeAllocatable.cpu) ?? 0, memoryBytes: parseMemory(env.cluster.nodeAllocatable.memory) ?? 0 };
  const times = (count: number): Amount => ({ cpuMillis: node.cpuMillis * count, memoryBytes: node.memoryBytes * count });
  const capacity = times(env.cluster.maxNodes);
  const desiredCapacity = times(env.cluster.desiredNodes);
  const within = (limit: Amount) => requested.cpuMillis <= limit.cpuMillis && requested.memoryBytes <= limit.memoryBytes;
  return {
    environment: env.name,
    perLayer,
    ...(footprints ? { perComponent } : {}),
    overQuota,
    requested,
    capacity,
    desiredCapacity,
    fits: within(capacity),
    fitsDesired: within(desiredCapacity),
  };
}

export function formatCapacityReport(report: CapacityReport): string {
  const show = (amount: Amount) => `${formatCpu(amount.cpuMillis).padStart(7)} cpu  ${formatMemory(amount.memoryBytes).padStart(8)} memory`;
  const rows = Object.entries(report.perLayer).flatMap(([layer, amount]) => [
    `  ${layer.padEnd(14)} ${show(amount!)}${report.overQuota.includes(layer as LayerName) ? "  ABOVE ITS QUOTA" : ""}`,
    ...Object.entries(report.perComponent ?? {})
      .filter(([key]) => key.startsWith(`${layer}/`))
      .map(([key, part]) => `    ${key.slice(layer.length + 1).padEnd(16)} ${show(part)}`),
  ]);
  const verdict = report.fits
    ? report.fitsDesired
      ? "fits at the desired node count"
      : "fits only after scaling past the desired node count"
    : "does NOT fit even at maxNodes: raise cluster.maxNodes or nodeAllocatable, or lower replicas/requests";
  return [
    `capacity for ${report.environment} (${report.perComponent ? "every pod of the rendered charts" : "main workloads: requests × replicas"}):`,
    ...rows,
    `  ${"requested".padEnd(14)} ${show(report.requested)}`,
    `  ${"desired nodes".padEnd(14)} ${show(report.desiredCapacity)}`,
    `  ${"max nodes".padEnd(14)} ${show(report.capacity)}`,
    `  => ${verdict}`,
  ].join("\n");
}
