import type { PromotionEntry } from "../../history/journal";

export interface StageView {
  readonly env: string;
  /** Chart versions per stack, from the promotions that changed them, newest winning. */
  readonly release: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly lastPromotion?: PromotionEntry;
  /** The last promotion into this stage was refused at the approval gate: it waits for someone to approve. */
  readonly awaitingApproval: boolean;
}

export interface PromotionsView {
  readonly stages: readonly StageView[];
  readonly rollbacks: readonly PromotionEntry[];
}

/** The environments as stages in promotion order (dev → staging → prod), each with its release and last gates. Pure. */
export function promotionsView(envs: readonly string[], promotions: readonly PromotionEntry[]): PromotionsView {
  const oldestFirst = [...promotions].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return {
    stages: stageOrder(envs, oldestFirst).map((env) => {
      const into = oldestFirst.filter((p) => p.target === env);
      const release: Record<string, Record<string, string>> = {};
      for (const p of into.filter((p) => p.result === "promoted")) for (const s of p.stacks) release[s.stack] = { ...s.charts };
      const last = into.at(-1);
      const approval = last?.gates.find((g) => g.gate === "approval");
      return { env, release, ...(last ? { lastPromotion: last } : {}), awaitingApproval: last?.result === "refused" && approval !== undefined && !approval.passed };
    }),
    rollbacks: oldestFirst.filter((p) => p.result === "rolled-back" || p.result === "rollback-failed").reverse(),
  };
}

/** Sources before targets; environments never promoted keep their place after. Pure. */
export function stageOrder(envs: readonly string[], promotions: readonly PromotionEntry[]): string[] {
  const order: string[] = [];
  const sourcesOf = (env: string) => [...new Set(promotions.filter((p) => p.target === env).map((p) => p.source))];
  const visit = (env: string, seen: Set<string>) => {
    if (order.includes(env) || seen.has(env)) return;
    seen.add(env);
    for (const source of sourcesOf(env)) visit(source, seen);
    order.push(env);
  };
  for (const env of envs) visit(env, new Set());
  return order.filter((env) => envs.includes(env));
}
