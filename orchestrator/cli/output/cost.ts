import type { CostEstimate } from "../../../environments/cost";
import { formatCpu, formatMemory } from "../../../environments/quantity";

const pct = (fraction: number) => `${Math.round(fraction * 100)}%`;

/** The price list a figure comes from, said with every figure: an estimate, never a bill. */
export function priceListLabel(estimate: Pick<CostEstimate, "priceList">): string {
  const list = estimate.priceList;
  return `${list.notional ? "notional prices" : "list prices"} of ${list.date} (${list.source})`;
}

export function formatCostEstimate(estimate: CostEstimate, budget?: { monthly: number }): string {
  const money = (amount: number) => `${estimate.priceList.currency} ${amount.toFixed(2)}`.padStart(14);
  const lines = [
    `cost estimate for ${estimate.environment}, per month at ${priceListLabel(estimate)}; an estimate, not a bill`,
    "infrastructure:",
    ...estimate.infrastructure.map((line) => `  ${line.item.padEnd(26)} ${money(line.monthly)}  ${line.explanation}`),
    `  ${"total".padEnd(26)} ${money(estimate.total)}  (node group at its minimum: ${money(estimate.nodesAtMinimum).trim()})`,
    `workloads (node cost shared by requests: ${money(estimate.rates.perVcpuMonth).trim()}/vCPU, ${money(estimate.rates.perGiBMonth).trim()}/GiB):`,
  ];
  for (const [layer, monthly] of Object.entries(estimate.perLayer)) {
    lines.push(`  ${layer.padEnd(26)} ${money(monthly!)}`);
    for (const part of estimate.components.filter((c) => c.layer === layer)) {
      lines.push(`    ${part.component.padEnd(24)} ${money(part.monthly)}  ${formatCpu(part.cpuMillis)} cpu, ${formatMemory(part.memoryBytes)}`);
    }
  }
  lines.push(`  ${"unallocated (idle, system)".padEnd(26)} ${money(estimate.unallocated)}`);
  const { utilization } = estimate;
  lines.push(`utilization at the desired node count: cpu ${pct(utilization.cpu)}, memory ${pct(utilization.memory)}; headroom ${formatCpu(utilization.headroom.cpuMillis)} cpu, ${formatMemory(utilization.headroom.memoryBytes)}`);
  if (budget) {
    const verdict = estimate.total > budget.monthly ? `ABOVE the budget by ${money(estimate.total - budget.monthly).trim()}` : `within the budget, ${money(budget.monthly - estimate.total).trim()} to spare`;
    lines.push(`budget ${money(budget.monthly).trim()}/month: ${verdict}`);
  }
  if (estimate.recommendations.length > 0) {
    lines.push("recommendations:");
    for (const r of estimate.recommendations) lines.push(`  save ${money(r.monthlySaving).trim()}/month: ${r.field} ${r.change} (${r.why})`);
  }
  for (const note of estimate.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
