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
  readonly requested: Amount;
  /** maxNodes × allocatable: what the cluster can grow to. */
  readonly capacity: Amount;
  /** desiredNodes × allocatable: what it starts with. */
  readonly desiredCapacity: Amount;
  readonly fits: boolean;
  readonly fitsDesired: boolean;
}

/** Sums requests × replicas of every enabled component of every enabled layer against node capacity. */
export function checkCapacity(env: EnvironmentSpec): CapacityReport {
  const perLayer: Partial<Record<LayerName, Amount>> = {};
  for (const layer of LAYER_NAMES) {
    const settings = env.layers[layer];
    if (!settings.enabled) continue;
    let cpuMillis = 0;
    let memoryBytes = 0;
    for (const component of Object.values(settings.components)) {
      if (!component.enabled) continue;
      cpuMillis += (parseCpu(component.resources.requests.cpu) ?? 0) * component.replicas;
      memoryBytes += (parseMemory(component.resources.requests.memory) ?? 0) * component.replicas;
    }
    perLayer[layer] = { cpuMillis, memoryBytes };
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
  return { environment: env.name, perLayer, requested, capacity, desiredCapacity, fits: within(capacity), fitsDesired: within(desiredCapacity) };
}

export function formatCapacityReport(report: CapacityReport): string {
  const show = (amount: Amount) => `${formatCpu(amount.cpuMillis).padStart(7)} cpu  ${formatMemory(amount.memoryBytes).padStart(8)} memory`;
  const rows = Object.entries(report.perLayer).map(([layer, amount]) => `  ${layer.padEnd(14)} ${show(amount!)}`);
  const verdict = report.fits
    ? report.fitsDesired
      ? "fits at the desired node count"
      : "fits only after scaling past the desired node count"
    : "does NOT fit even at maxNodes: raise cluster.maxNodes or nodeAllocatable, or lower replicas/requests";
  return [
    `capacity for ${report.environment}:`,
    ...rows,
    `  ${"requested".padEnd(14)} ${show(report.requested)}`,
    `  ${"desired nodes".padEnd(14)} ${show(report.desiredCapacity)}`,
    `  ${"max nodes".padEnd(14)} ${show(report.capacity)}`,
    `  => ${verdict}`,
  ].join("\n");
}
