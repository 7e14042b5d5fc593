import * as path from "node:path";
import { checkCapacity, formatCapacityReport, type CapacityReport } from "../../environments/capacity";
import type { EnvironmentSpec } from "../../environments/model";
import { PreflightError } from "../model/preflight-error";
import type { StackPlan } from "../plan/plan";
import type { Workspace } from "../workspace/workspace";
import { renderedFootprints } from "./chart-footprints";
import { checkChartMirror } from "./mirror-check";
import { checkPolicyPacks } from "./policy-packs";
import { prepareSecrets, type SecretsPreparation } from "./secrets-preflight";
import { findUnreadableStates } from "./unreadable-states";
import { checkPassphrase } from "./passphrase-check";
import { checkCost, type CostCheck, type CostFinding } from "./cost-estimate";
import type { UnreadableState } from "../model/unreadable-state";

/** A check made before the lock and the first engine call; each refusal is a PreflightError (exit 3). */
export type PreflightCheck =
  | { readonly kind: "chart-mirror"; readonly env?: EnvironmentSpec }
  | { readonly kind: "capacity" }
  /** Not bad input: an up above the budget is refused with exit 5 (RefusedError). */
  | ({ readonly kind: "cost" } & CostCheck)
  | { readonly kind: "policy-packs"; readonly packs: readonly string[] }
  | { readonly kind: "secrets" }
  | { readonly kind: "passphrase" }
  /** Not a refusal: stacks whose state does not parse are found here, so the run leaves them (and what needs them) alone. */
  | { readonly kind: "state-files" };

export interface PreflightFindings {
  readonly capacity?: CapacityReport;
  readonly cost?: CostFinding;
  readonly secrets?: SecretsPreparation;
  readonly unreadableStates?: readonly UnreadableState[];
}

/** What every command that calls the engine checks first: the passphrase opens each stack's secrets; then which stacks' state does not parse. */
export function engineChecks(): PreflightCheck[] {
  return [{ kind: "passphrase" }, { kind: "state-files" }];
}

/** What an up or a preview checks: the charts it installs, what they request, its policies, its secrets. */
export function deployChecks(policyPacks: readonly string[], cost: CostCheck): PreflightCheck[] {
  return [{ kind: "chart-mirror" }, { kind: "capacity" }, { kind: "cost", ...cost }, { kind: "policy-packs", packs: policyPacks }, { kind: "secrets" }];
}

export async function runPreflight(workspace: Workspace, env: EnvironmentSpec, plan: StackPlan, checks: readonly PreflightCheck[], say: (line: string) => void): Promise<PreflightFindings> {
  let findings: PreflightFindings = {};
  for (const check of checks) {
    switch (check.kind) {
      case "chart-mirror":
        checkChartMirror(workspace.root, check.env ?? env);
        break;
      case "capacity":
        findings = { ...findings, capacity: await capacityOf(workspace, env, say) };
        break;
      case "cost":
        findings = { ...findings, cost: await checkCost(workspace, env, check, say) };
        break;
      case "policy-packs":
        checkPolicyPacks(check.packs);
        break;
      case "secrets":
        // Reads the stacks' config files only; a missing secret is bad input like any other.
        findings = { ...findings, secrets: await prepareSecrets(workspace.configFiles, env, plan.stacks) };
        break;
      case "passphrase":
        await checkPassphrase(workspace.configFiles, plan.stacks);
        break;
      case "state-files":
        findings = { ...findings, unreadableStates: await findUnreadableStates(workspace, plan.stacks) };
        break;
    }
  }
  return findings;
}

/** What the charts really run (sidecars, operators, hook Jobs), rendered with the environment's values: the check of an up, a preview and a promotion's capacity gate. */
export async function renderedCapacity(workspace: Workspace, env: EnvironmentSpec): Promise<CapacityReport> {
  const mirror = env.charts.mirror ? path.resolve(workspace.root, env.charts.mirror) : undefined;
  return checkCapacity(env, await renderedFootprints(env, mirror, path.join(workspace.dataDir, "cache")));
}

/** Why the capacity report refuses the run, or undefined when it fits. Pure. */
export function capacityProblem(env: EnvironmentSpec, capacity: CapacityReport): string | undefined {
  if (!capacity.fits) return `${env.file}: the enabled layers request more than the cluster can hold at cluster.maxNodes`;
  if (capacity.overQuota.length > 0) {
    return `${env.file}: the charts of ${capacity.overQuota.join(", ")} request more than the layer quota; raise layers.<layer>.quota (the table above says which component takes what)`;
  }
  return undefined;
}

async function capacityOf(workspace: Workspace, env: EnvironmentSpec, say: (line: string) => void): Promise<CapacityReport> {
  const capacity = await renderedCapacity(workspace, env);
  say(formatCapacityReport(capacity));
  const problem = capacityProblem(env, capacity);
  if (problem) throw new PreflightError(problem);
  return capacity;
}
