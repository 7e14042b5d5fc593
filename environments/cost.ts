import type { Billables } from "./billable-objects";
import { checkCapacity, type Amount, type CapacityReport } from "./capacity";
import { LAYER_NAMES, type LayerName } from "./layers";
import type { EnvironmentSpec } from "./model";
import { parseCpu, parseMemory } from "./quantity";
import type { PriceList } from "./pricing";

const GiB = 1024 ** 3;

/** One priced item, with the arithmetic that gives its monthly figure. */
export interface CostLine {
  readonly item: string;
  readonly monthly: number;
  readonly explanation: string;
}

export interface ComponentCost {
  readonly layer: LayerName;
  readonly component: string;
  readonly replicas: number;
  readonly chartVersion: string;
  readonly cpuMillis: number;
  readonly memoryBytes: number;
  readonly monthly: number;
}

export interface Recommendation {
  /** The environment field to change. */
  readonly field: string;
  readonly change: string;
  readonly monthlySaving: number;
  readonly why: string;
}

export interface CostEstimate {
  readonly environment: string;
  readonly priceList: { readonly files: readonly string[]; readonly date: string; readonly source: string; readonly currency: string; readonly notional: boolean };
  readonly infrastructure: readonly CostLine[];
  /** The node group at its minimum size, for comparison with the desired size the total uses. */
  readonly nodesAtMinimum: number;
  readonly rates: { readonly perVcpuMonth: number; readonly perGiBMonth: number };
  readonly components: readonly ComponentCost[];
  readonly perLayer: Readonly<Partial<Record<LayerName, number>>>;
  /** Node cost no request claims: idle capacity and what kubelet and the system reserve. */
  readonly unallocated: number;
  readonly utilization: { readonly cpu: number; readonly memory: number; readonly headroom: Amount };
  readonly total: number;
  readonly recommendations: readonly Recommendation[];
  /** What the figures could not count, said next to them. */
  readonly notes: readonly string[];
}

export interface CostInputs {
  readonly env: EnvironmentSpec;
  readonly prices: PriceList;
  /** "layer/component" -> what its rendered chart requests; without it, requests × replicas of the main workload. */
  readonly footprints?: ReadonlyMap<string, Amount>;
  /** "layer/component" -> its rendered chart's volumes and load balancers. */
  readonly billables?: ReadonlyMap<string, Billables>;
}

export const cents = (amount: number): number => Math.round(amount * 100) / 100;

/** Monthly node price split into CPU and memory rates, as OpenCost allocates a node. Pure. */
export function nodeRates(prices: PriceList, instanceType: string): { nodeMonthly: number; perVcpuMonth: number; perGiBMonth: number } {
  const instance = prices.instances[instanceType]!;
  const nodeMonthly = instance.hourly * prices.hoursPerMonth;
  return {
    nodeMonthly,
    perVcpuMonth: (nodeMonthly * prices.cpuShareOfNodePrice) / instance.vcpu,
    perGiBMonth: (nodeMonthly * (1 - prices.cpuShareOfNodePrice)) / instance.memoryGiB,
  };
}

/** What an environment would cost a month at list prices: infrastructure, each layer's and component's share by requests, idle capacity, recommendations. Pure. */
export function estimateCost({ env, prices, footprints, billables }: CostInputs): CostEstimate {
  const money = (amount: number) => `${prices.currency} ${amount.toFixed(2)}`;
  // Hourly list prices have up to four decimals (0.0225); shown as listed, not rounded to cents.
  const rate = (amount: number) => `${prices.currency} ${Number(amount.toFixed(4))}`;
  const hours = prices.hoursPerMonth;
  const { nodeMonthly, perVcpuMonth, perGiBMonth } = nodeRates(prices, env.cluster.instanceType);
  const { cluster } = env;
  const natCount = env.target === "aws" ? env.network.availabilityZones : 0;
  const volumeBytes = [...(billables?.values() ?? [])].reduce((sum, b) => sum + b.volumeBytes, 0);
  const loadBalancers = [...(billables?.values() ?? [])].reduce((sum, b) => sum + b.loadBalancers, 0);
  const volumeGiB = volumeBytes / GiB;
  const capacity = checkCapacity(env, footprints);
  const allocatable = { cpuMillis: parseCpu(cluster.nodeAllocatable.cpu) ?? 0, memoryBytes: parseMemory(cluster.nodeAllocatable.memory) ?? 0 };
  // The autoscaler adds nodes when the requests outgrow the desired count, up to maxNodes.
  const nodeCount = Math.min(cluster.maxNodes, Math.max(cluster.desiredNodes, nodesNeeded(capacity.requested, allocatable)));
  const nodeCountText = nodeCount === cluster.desiredNodes ? `${nodeCount} desired` : `${nodeCount} (desired ${cluster.desiredNodes}; the requests need more)`;
  const infrastructure: CostLine[] = [
    { item: "control plane", monthly: prices.controlPlane.hourly * hours, explanation: `1 × ${rate(prices.controlPlane.hourly)}/h × ${hours} h` },
    { item: `nodes (${cluster.instanceType})`, monthly: nodeCount * nodeMonthly, explanation: `${nodeCountText} × ${rate(prices.instances[cluster.instanceType]!.hourly)}/h × ${hours} h` },
    { item: "NAT gateways", monthly: natCount * prices.natGateway.hourly * hours, explanation: `${natCount} (one per availability zone) × ${rate(prices.natGateway.hourly)}/h × ${hours} h, data processing not counted` },
    { item: "load balancers", monthly: loadBalancers * prices.loadBalancer.hourly * hours, explanation: `${loadBalancers} LoadBalancer Service(s) × ${rate(prices.loadBalancer.hourly)}/h × ${hours} h, traffic not counted` },
    { item: "volumes", monthly: volumeGiB * prices.volume.perGiBMonth, explanation: `${volumeGiB.toFixed(0)} GiB claimed × ${rate(prices.volume.perGiBMonth)}/GiB-month` },
  ];
  const components = componentCosts(env, capacity, footprints, perVcpuMonth, perGiBMonth);
  const perLayer: Partial<Record<LayerName, number>> = {};
  for (const part of components) perLayer[part.layer] = (perLayer[part.layer] ?? 0) + part.monthly;
  const allocated = components.reduce((sum, part) => sum + part.monthly, 0);
  const nodesCost = nodeCount * nodeMonthly;
  const total = infrastructure.reduce((sum, line) => sum + line.monthly, 0);
  const desired = capacity.desiredCapacity;
  const notes = [
    ...(footprints ? [] : ["workloads counted as requests × replicas of each main workload: no rendered charts"]),
    ...(billables ? [] : ["volumes and load balancers not counted: no rendered charts"]),
    ...(cluster.spot ? ["spot nodes priced at the on-demand list price (spot prices change by the hour; the real cost is lower)"] : []),
  ];
  return {
    environment: env.name,
    priceList: { files: prices.files, date: prices.date, source: prices.source, currency: prices.currency, notional: prices.notional },
    infrastructure,
    nodesAtMinimum: cluster.minNodes * nodeMonthly,
    rates: { perVcpuMonth, perGiBMonth },
    components,
    perLayer,
    unallocated: nodesCost - allocated,
    utilization: {
      cpu: desired.cpuMillis > 0 ? capacity.requested.cpuMillis / desired.cpuMillis : 0,
      memory: desired.memoryBytes > 0 ? capacity.requested.memoryBytes / desired.memoryBytes : 0,
      headroom: { cpuMillis: desired.cpuMillis - capacity.requested.cpuMillis, memoryBytes: desired.memoryBytes - capacity.requested.memoryBytes },
    },
    total,
    recommendations: recommend(env, prices, capacity.requested, nodeMonthly),
    notes,
  };
}

function componentCosts(env: EnvironmentSpec, capacity: CapacityReport, footprints: ReadonlyMap<string, Amount> | undefined, perVcpu: number, perGiB: number): ComponentCost[] {
  const parts: ComponentCost[] = [];
  for (const layer of LAYER_NAMES) {
    const settings = env.layers[layer];
    if (!settings.enabled) continue;
    for (const [component, c] of Object.entries(settings.components)) {
      if (!c.enabled) continue;
      const amount = capacity.perComponent?.[`${layer}/${component}`] ??
        footprints?.get(`${layer}/${component}`) ?? {
          cpuMillis: (parseCpu(c.resources.requests.cpu) ?? 0) * c.replicas,
          memoryBytes: (parseMemory(c.resources.requests.memory) ?? 0) * c.replicas,
        };
      parts.push({ layer, component, replicas: c.replicas, chartVersion: c.chart.version, ...amount, monthly: (amount.cpuMillis / 1000) * perVcpu + (amount.memoryBytes / GiB) * perGiB });
    }
  }
  return parts;
}

/** Nodes of `allocatable` each that hold `requested`. */
export function nodesNeeded(requested: Amount, allocatable: Amount): number {
  return Math.max(1, Math.ceil(Math.max(requested.cpuMillis / allocatable.cpuMillis, requested.memoryBytes / allocatable.memoryBytes)));
}

function recommend(env: EnvironmentSpec, prices: PriceList, requested: Amount, nodeMonthly: number): Recommendation[] {
  const { cluster } = env;
  const allocatable = { cpuMillis: parseCpu(cluster.nodeAllocatable.cpu) ?? 0, memoryBytes: parseMemory(cluster.nodeAllocatable.memory) ?? 0 };
  const recommendations: Recommendation[] = [];
  const needed = nodesNeeded(requested, allocatable);
  if (needed < cluster.desiredNodes) {
    recommendations.push({
      field: cluster.minNodes > needed ? "cluster.desiredNodes and cluster.minNodes" : "cluster.desiredNodes",
      change: `${cluster.desiredNodes} → ${needed}`,
      monthlySaving: (cluster.desiredNodes - needed) * nodeMonthly,
      why: `the requests fit on ${needed} node(s); ${cluster.desiredNodes - needed} stay idle`,
    });
  }
  // Another type fits the requests for less when its allocatable share is like this one's.
  const current = prices.instances[cluster.instanceType]!;
  const share = { cpu: allocatable.cpuMillis / (current.vcpu * 1000), memory: allocatable.memoryBytes / (current.memoryGiB * GiB) };
  const currentNodes = Math.max(needed, cluster.minNodes);
  const currentCost = currentNodes * nodeMonthly;
  // Many small nodes multiply DaemonSet pods and per-node overhead: stay within maxNodes and twice today's count.
  const mostNodes = Math.min(cluster.maxNodes, 2 * currentNodes);
  let best: { type: string; nodes: number; monthly: number } | undefined;
  for (const [type, instance] of Object.entries(prices.instances)) {
    if (type === cluster.instanceType) continue;
    const nodes = Math.max(nodesNeeded(requested, { cpuMillis: instance.vcpu * 1000 * share.cpu, memoryBytes: instance.memoryGiB * GiB * share.memory }), Math.min(cluster.minNodes, 3));
    const monthly = nodes * instance.hourly * prices.hoursPerMonth;
    if (nodes <= mostNodes && monthly < currentCost * 0.95 && (!best || monthly < best.monthly)) best = { type, nodes, monthly };
  }
  if (best) {
    recommendations.push({
      field: "cluster.instanceType (and cluster.nodeAllocatable)",
      change: `${cluster.instanceType} → ${best.type} × ${best.nodes}`,
      monthlySaving: currentCost - best.monthly,
      why: `${best.nodes} × ${best.type} hold the requests for less than ${currentNodes} × ${cluster.instanceType}`,
    });
  }
  return recommendations;
}
