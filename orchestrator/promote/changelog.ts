import { formatCostDelta } from "../../environments/cost-delta";
import type { PromotionReport } from "../model/promotion-report";

const show = (value: unknown) => (value === undefined ? "(none)" : `\`${typeof value === "string" ? value : JSON.stringify(value)}\``);

/** The promotion's change log, for people and for the repository of record. Pure. */
export function renderChangelog(report: PromotionReport): string {
  const lines = [
    `# Promotion ${report.source} → ${report.target}`,
    "",
    `- id: ${report.id}`,
    `- started: ${report.startedAt}`,
    `- result: **${report.result}**`,
    `- approver: ${report.approver ?? "(not required or not given)"}`,
    ...(report.checkpoint ? [`- pre-promotion checkpoint: ${report.checkpoint}`] : []),
    "",
    "## Gates",
    "",
    "| Gate | Result | Reason |",
    "|---|---|---|",
    ...report.gates.map((g) => `| ${g.gate} | ${g.passed ? "pass" : "FAIL"} | ${g.reason.replace(/\|/g, "\\|")} |`),
    "",
    "## Config changes",
    "",
  ];
  const changed = report.stacks.filter((s) => s.changes.length > 0);
  if (changed.length === 0) lines.push("None: the target already runs the source's release.");
  for (const stack of changed) {
    lines.push(`### ${stack.target} (from ${stack.source})`, "", "| Component | Field | From | To |", "|---|---|---|---|");
    for (const change of stack.changes) lines.push(`| ${change.component} | ${change.field} | ${show(change.from)} | ${show(change.to)} |`);
    lines.push("");
  }
  lines.push("## Resource changes", "");
  for (const [stack, changes] of Object.entries(report.preview)) {
    lines.push(`### ${stack}`, "");
    if (changes.length === 0) lines.push("No resource changes in the preview.");
    for (const change of changes) lines.push(`- ${change.op} \`${change.type}\` ${change.name}${change.properties.length ? `: ${change.properties.map((p) => p.path).join(", ")}` : ""}`);
    const applied = report.applied[stack];
    if (applied) lines.push(`- applied: ${Object.entries(applied).filter(([kind]) => kind !== "same").map(([kind, n]) => `${n} ${kind}`).join(", ") || "no changes"}`);
    lines.push("");
  }
  if (report.cost) {
    const { cost } = report;
    lines.push("## Cost", "", `Monthly estimate at ${cost.prices}; an estimate, not a bill.`, "", ...formatCostDelta(cost.delta).map((line) => `- ${line}`));
    if (cost.budget !== undefined) lines.push(`- budget: ${cost.delta.currency} ${cost.budget.toFixed(2)}/month${cost.budgetApproval ? `; exceeded with approval: ${cost.budgetApproval}` : ""}`);
    lines.push("");
  }
  if (report.verification) {
    lines.push("## Verification", "", ...report.verification.map((v) => `- ${v.stack}: ${v.passed ? "pass" : "FAIL"}: ${v.reason}`), "");
  }
  if (report.recovered) {
    const which = report.recovered.promotions.length > 0 ? `promotion ${report.recovered.promotions.join(", ")}` : "unsettled target stacks";
    lines.push("## Unfinished promotion", "", `- ${which}: **${report.recovered.outcome}**`, ...report.recovered.stacks.map((s) => `- ${s.stack}: ${s.why}`), "");
  }
  if (report.rollback) {
    lines.push("## Rollback", "", `- stacks: ${report.rollback.stacks.join(", ")}`, `- ${report.rollback.succeeded ? "restored the previous config and re-applied it" : "FAILED"}: ${report.rollback.reason}`, "");
  }
  return lines.join("\n");
}
