import { waves, type DependencyGraph } from "./graph";
import type { StackPlan } from "./plan";

export type GraphFormat = "text" | "mermaid" | "dot";

/** The plan for people: waves (what could run together), then each stack's dependencies. */
export function renderText(plan: StackPlan): string {
  const lines = [`${plan.operation} ${plan.env}: ${plan.stacks.length} stack(s)`];
  waves(plan.graph).forEach((wave, index) => lines.push(`  wave ${index + 1}: ${wave.join(", ")}`));
  for (const stack of plan.stacks) {
    const needs = plan.graph.dependencies.get(stack.name)!;
    lines.push(`  ${stack.name}${needs.length > 0 ? ` <- ${needs.join(", ")}` : ""}`);
  }
  if (plan.outside.length > 0) lines.push(`  relies on (not run): ${plan.outside.join(", ")}`);
  return lines.join("\n");
}

export function renderMermaid(plan: StackPlan): string {
  const id = (name: string) => name.replace(/[^A-Za-z0-9_]/g, "_");
  const lines = ["graph LR"];
  for (const name of plan.graph.nodes) lines.push(`  ${id(name)}["${name}"]`);
  for (const [name, needs] of edgesOf(plan.graph)) for (const need of needs) lines.push(`  ${id(need)} --> ${id(name)}`);
  return lines.join("\n");
}

export function renderDot(plan: StackPlan): string {
  const lines = [`digraph "${plan.operation}-${plan.env}" {`, "  rankdir=LR;", "  node [shape=box];"];
  for (const name of plan.graph.nodes) lines.push(`  "${name}";`);
  for (const [name, needs] of edgesOf(plan.graph)) for (const need of needs) lines.push(`  "${need}" -> "${name}";`);
  lines.push("}");
  return lines.join("\n");
}

export function renderPlan(plan: StackPlan, format: GraphFormat): string {
  return format === "mermaid" ? renderMermaid(plan) : format === "dot" ? renderDot(plan) : renderText(plan);
}

function edgesOf(graph: DependencyGraph): Array<[string, readonly string[]]> {
  return graph.nodes.map((name) => [name, graph.dependencies.get(name)!]);
}
