import { formatDuration } from "../../environments/duration";
import type { Hold } from "../model/hold";
import type { GateResult } from "../model/promotion-report";
import type { WindowDecision } from "../plan/change-windows";
import type { SoakState } from "../plan/soak";

export interface SourceStackFacts {
  readonly stack: string;
  /** Deployed as `npm run status` says it: its last successful up or destroy was an up, and no run on it is unfinished. */
  readonly deployed: boolean;
  /** Status of its most recent run that did work (up/refresh/destroy), if any. */
  readonly lastStatus?: string;
  /** A run on it that has not ended, as `npm run status` says it: `running up by …` or `interrupted up by …`. */
  readonly unfinished?: string;
}

/** What `npm run drift` found in the source: its verdict, one line per drifted property, the stacks it could not check. */
export interface SourceDrift {
  readonly verdict: "clean" | "drift" | "error";
  readonly findings: readonly string[];
  readonly errors: readonly string[];
}

const MAX_FINDINGS = 5;

/** Deployed, successful, drift-free: what makes an environment's state worth promoting. Pure. */
export function sourceGates(source: string, stacks: readonly SourceStackFacts[], drift: SourceDrift): GateResult[] {
  const undeployed = stacks.filter((s) => !s.deployed).map((s) => s.stack);
  const unsuccessful = stacks
    .filter((s) => s.unfinished !== undefined || (s.lastStatus !== undefined && !/(succeeded|unchanged)$/.test(s.lastStatus)))
    .map((s) => `${s.stack} (${s.unfinished ?? s.lastStatus})`);
  return [
    {
      gate: "source-deployed",
      passed: undeployed.length === 0,
      reason: undeployed.length === 0 ? `all ${stacks.length} stack(s) of ${source} are deployed` : `not deployed in ${source}: ${undeployed.join(", ")}; run \`npm run up -- --env ${source}\``,
    },
    {
      gate: "source-successful",
      passed: unsuccessful.length === 0,
      reason: unsuccessful.length === 0 ? `last runs of ${source} succeeded` : `last run did not succeed: ${unsuccessful.join(", ")}`,
    },
    { gate: "source-drift-free", passed: drift.verdict === "clean", reason: driftReason(source, drift) },
  ];
}

function driftReason(source: string, drift: SourceDrift): string {
  if (drift.verdict === "clean") return `no drift in ${source}`;
  if (drift.verdict === "error") return `drift check of ${source} failed: ${drift.errors.join("; ")}; run \`npm run drift -- --env ${source}\``;
  const more = drift.findings.length > MAX_FINDINGS ? `; and ${drift.findings.length - MAX_FINDINGS} more` : "";
  return `drift in ${source}: ${drift.findings.slice(0, MAX_FINDINGS).join("; ")}${more}; run \`npm run drift -- --env ${source} --remediate up\``;
}

export interface ApprovalInput {
  readonly required: boolean;
  /** Who approved: from --approver in CI, or the person at the terminal. */
  readonly approver?: string;
  /** The explicit "yes" (--approve, or typed at the prompt). */
  readonly approved: boolean;
}

export function approvalGate(target: string, input: ApprovalInput): GateResult {
  if (!input.required) return { gate: "approval", passed: true, reason: `${target} does not require approval` };
  if (input.approved && input.approver) return { gate: "approval", passed: true, reason: `approved by ${input.approver}` };
  if (input.approved) return { gate: "approval", passed: false, reason: `--approve needs an approver identity: add --approver <name or email>` };
  return { gate: "approval", passed: false, reason: `${target} requires approval: confirm at the prompt, or pass --approve --approver <identity> in CI` };
}

export function firstFailed(gates: readonly GateResult[]): GateResult | undefined {
  return gates.find((gate) => !gate.passed);
}

/** The mandatory policies of the target's preview. Pure. */
export function policyGate(violations: readonly string[]): GateResult {
  return { gate: "policy", passed: violations.length === 0, reason: violations.length === 0 ? "no policy violations" : violations.join("; ") };
}

/** The target's preview ran for every changed stack; its changes per stack, or why it could not be computed. Pure. */
export function targetPreviewGate(changes: Readonly<Record<string, readonly unknown[]>>, errors: readonly string[]): GateResult {
  return {
    gate: "target-preview",
    passed: errors.length === 0,
    reason: errors.length === 0 ? `computed: ${Object.entries(changes).map(([stack, list]) => `${stack} ${list.length} change(s)`).join(", ")}` : errors.join("; "),
  };
}

/** The release fits the target's cluster at its maximum node count and each layer's quota, rendered as an up would render it. Pure. */
export function capacityGate(problem: string | undefined): GateResult {
  return { gate: "capacity", passed: problem === undefined, reason: problem ?? "fits the cluster at maxNodes and every layer quota (charts rendered with the promoted release)" };
}

/** The promoted target's monthly estimate within its budget, or a recorded reason to exceed it. Pure. */
export function budgetGate(target: string, total: number, currency: string, budget: number | undefined, approvalReason: string | undefined): GateResult {
  if (budget === undefined) return { gate: "budget", passed: true, reason: `${target} sets no budget` };
  const figures = `estimate ${currency} ${total.toFixed(2)}/month, budget ${currency} ${budget.toFixed(2)}`;
  if (total <= budget) return { gate: "budget", passed: true, reason: `within budget: ${figures}` };
  if (approvalReason) return { gate: "budget", passed: true, reason: `above budget (${figures}), approved: ${approvalReason}` };
  return { gate: "budget", passed: false, reason: `above budget: ${figures}; raise budget.monthly in the environment file, or pass --approve-budget --reason "<why>"` };
}

/** A held target takes no promotion until a person releases it. Pure. */
export function holdGate(target: string, hold: Hold | undefined): GateResult {
  if (!hold) return { gate: "target-not-held", passed: true, reason: `${target} is not held` };
  return { gate: "target-not-held", passed: false, reason: `${target} is held since ${hold.since} (${hold.placedBy}): ${hold.reason}; release it with \`npm run promote -- release-hold ${target}\`` };
}

/** The source ran its release healthy for its requiredSoak. Pure. */
export function soakGate(source: string, soak: SoakState): GateResult {
  const left = soak.satisfied ? "" : soak.healthySince ? `; ${formatDuration(soak.remainingMs)} left (wait with --wait-soak)` : "";
  return { gate: "source-soaked", passed: soak.satisfied, reason: `${source}: ${soak.reason}${left}` };
}

/** The target's change windows, as a gate: refused outside them unless break-glass was asked for. Pure. */
export function windowGate(decision: WindowDecision): GateResult {
  if (!decision.go) return { gate: "change-window", passed: false, reason: decision.refusal };
  return { gate: "change-window", passed: true, reason: decision.note ?? "inside the target's change windows" };
}
