import { expect } from "chai";
import { estimateCost, nodeRates } from "../../../environments/cost";
import { costDelta, formatCostDelta, valueChanges } from "../../../environments/cost-delta";
import { LAYER_NAMES } from "../../../environments/layers";
import { loadEnvironment } from "../../../environments/load";
import type { EnvironmentSpec, LayerSettings } from "../../../environments/model";
import type { PriceList } from "../../../environments/pricing";

const GiB = 1024 ** 3;

// Prices chosen so every figure below is worked by hand: a node is 0.10/h × 730 h = 73.00 a month.
const PRICES: PriceList = {
  currency: "USD",
  notional: false,
  date: "2025-01-15",
  source: "hand-worked table",
  files: ["pricing/aws.yaml"],
  hoursPerMonth: 730,
  cpuShareOfNodePrice: 0.5,
  controlPlane: { hourly: 0.1 },
  natGateway: { hourly: 0.05 },
  loadBalancer: { hourly: 0.02 },
  volume: { perGiBMonth: 0.1 },
  instances: { "x.large": { hourly: 0.1, vcpu: 2, memoryGiB: 8 }, "x.small": { hourly: 0.03, vcpu: 1, memoryGiB: 4 } },
};

/** prod, cut to one component (ingress/emissary) on a cluster of three x.large nodes in two zones. */
function tinyEnvironment(): EnvironmentSpec {
  const prod = loadEnvironment("prod");
  const layers = Object.fromEntries(LAYER_NAMES.map((layer) => [layer, { ...prod.layers[layer], enabled: layer === "ingress" }])) as Record<string, LayerSettings>;
  const ingress = prod.layers.ingress;
  layers.ingress = { ...ingress, components: { emissary: ingress.components.emissary! } };
  return {
    ...prod,
    layers: layers as EnvironmentSpec["layers"],
    network: { ...prod.network, availabilityZones: 2 },
    cluster: { ...prod.cluster, instanceType: "x.large", minNodes: 2, desiredNodes: 3, maxNodes: 4, nodeAllocatable: { cpu: "2", memory: "8Gi" } },
  };
}

const FOOTPRINTS = new Map([["ingress/emissary", { cpuMillis: 1000, memoryBytes: 2 * GiB }]]);
const BILLABLES = new Map([["ingress/emissary", { volumeBytes: 50 * GiB, loadBalancers: 1 }]]);

describe("cost estimate arithmetic (hand-worked table)", () => {
  const estimate = estimateCost({ env: tinyEnvironment(), prices: PRICES, footprints: FOOTPRINTS, billables: BILLABLES });
  const line = (item: string) => estimate.infrastructure.find((l) => l.item === item)!.monthly;

  it("splits a node's monthly price evenly into a rate per vCPU and per GiB", () => {
    expect(nodeRates(PRICES, "x.large")).to.deep.equal({ nodeMonthly: 73, perVcpuMonth: 18.25, perGiBMonth: 4.5625 });
  });

  it("prices each infrastructure item: control plane, desired nodes, a NAT per zone, load balancers, volumes", () => {
    expect(line("control plane")).to.be.closeTo(73, 1e-9);
    expect(line("nodes (x.large)")).to.be.closeTo(219, 1e-9);
    expect(line("NAT gateways")).to.be.closeTo(73, 1e-9);
    expect(line("load balancers")).to.be.closeTo(14.6, 1e-9);
    expect(line("volumes")).to.be.closeTo(5, 1e-9);
    expect(estimate.total).to.be.closeTo(384.6, 1e-9);
    expect(estimate.nodesAtMinimum).to.be.closeTo(146, 1e-9);
  });

  it("allocates node cost to a component by its requests and leaves the rest unallocated", () => {
    // 1 vCPU × 18.25 + 2 GiB × 4.5625
    expect(estimate.components).to.have.length(1);
    expect(estimate.components[0]!.monthly).to.be.closeTo(27.375, 1e-9);
    expect(estimate.perLayer.ingress).to.be.closeTo(27.375, 1e-9);
    expect(estimate.unallocated).to.be.closeTo(219 - 27.375, 1e-9);
  });

  it("reports utilization against the desired nodes' allocatable and the headroom", () => {
    expect(estimate.utilization.cpu).to.be.closeTo(1 / 6, 1e-9);
    expect(estimate.utilization.memory).to.be.closeTo(2 / 24, 1e-9);
    expect(estimate.utilization.headroom).to.deep.equal({ cpuMillis: 5000, memoryBytes: 22 * GiB });
  });

  it("recommends fewer nodes and a cheaper type, each with the saving and the field to change", () => {
    expect(estimate.recommendations.map((r) => ({ ...r, monthlySaving: Math.round(r.monthlySaving * 100) / 100 }))).to.deep.equal([
      { field: "cluster.desiredNodes and cluster.minNodes", change: "3 → 1", monthlySaving: 146, why: "the requests fit on 1 node(s); 2 stay idle" },
      { field: "cluster.instanceType (and cluster.nodeAllocatable)", change: "x.large → x.small × 2", monthlySaving: 102.2, why: "2 × x.small hold the requests for less than 2 × x.large" },
    ]);
  });

  it("counts no NAT gateway outside AWS and says what rendered charts would add", () => {
    const env = { ...tinyEnvironment(), target: "azure" as const };
    const bare = estimateCost({ env, prices: PRICES });
    expect(bare.infrastructure.find((l) => l.item === "NAT gateways")!.monthly).to.equal(0);
    expect(bare.infrastructure.find((l) => l.item === "volumes")!.monthly).to.equal(0);
    expect(bare.notes).to.include("volumes and load balancers not counted: no rendered charts");
  });
});

describe("cost delta between two estimates", () => {
  const env = tinyEnvironment();
  const before = estimateCost({ env, prices: PRICES, footprints: FOOTPRINTS, billables: BILLABLES });

  it("gives a layer's monthly change and names the replicas change that caused it", () => {
    const emissary = env.layers.ingress.components.emissary!;
    const scaled = { ...env, layers: { ...env.layers, ingress: { ...env.layers.ingress, components: { emissary: { ...emissary, replicas: emissary.replicas + 2 } } } } };
    const after = estimateCost({ env: scaled, prices: PRICES, footprints: new Map([["ingress/emissary", { cpuMillis: 2000, memoryBytes: 4 * GiB }]]), billables: BILLABLES });
    const delta = costDelta(before, after);
    expect(delta.layers).to.have.length(1);
    expect(delta.layers[0]!.delta).to.be.closeTo(27.375, 1e-9);
    expect(formatCostDelta(delta)).to.deep.equal([`ingress +USD 27.38/month: emissary replicas ${emissary.replicas} → ${emissary.replicas + 2}`, "total +USD 0.00/month (USD 384.60 → 384.60)"]);
  });

  it("adds a node to the total when the requests outgrow the desired nodes", () => {
    const after = estimateCost({ env, prices: PRICES, footprints: new Map([["ingress/emissary", { cpuMillis: 7000, memoryBytes: 2 * GiB }]]), billables: BILLABLES });
    const delta = costDelta(before, after);
    expect(delta.total.delta).to.be.closeTo(73, 1e-9);
    expect(delta.layers[0]!.causes).to.deep.equal(["emissary requests 1 cpu, 2Gi → 7 cpu, 2Gi"]);
  });

  it("shows nothing for an unchanged environment", () => {
    expect(costDelta(before, before).layers).to.deep.equal([]);
  });

  it("names each changed value by its path", () => {
    expect(valueChanges({ ingester: { replicas: 3, zone: "a" } }, { ingester: { replicas: 5, zone: "a" }, extra: true })).to.deep.equal(["extra (unset) → true", "ingester.replicas 3 → 5"]);
  });
});
