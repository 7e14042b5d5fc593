import type { EnvironmentSpec } from "../../environments/model";
import type { StackConfigFiles } from "../engine/stack-config-files";
import type { StackConfig } from "../engine/stack-engine";
import type { StackId } from "../model/stack";
import { PreflightError } from "../model/preflight-error";
import { generatedSecret, missingSecretsMessage, planSecrets, secretsForLayer } from "./secret-config";

export interface SecretsPreparation {
  /** Config to set per stack before it runs (generated secrets for throwaway environments). */
  readonly config: ReadonlyMap<string, StackConfig>;
  /** Values generated in this run, for redaction; never printed. */
  readonly generatedValues: readonly string[];
  readonly notes: readonly string[];
}

/**
 * Every stack in the plan must have the secret config its layer reads. Local environments get
 * generated values; anywhere else a missing secret stops the run before anything changes.
 */
export async function prepareSecrets(configFiles: StackConfigFiles, env: EnvironmentSpec, stacks: readonly StackId[]): Promise<SecretsPreparation> {
  const config = new Map<string, StackConfig>();
  const generatedValues: string[] = [];
  const notes: string[] = [];
  const problems: string[] = [];
  for (const stack of stacks) {
    const needed = secretsForLayer(env.secrets, stack.layer);
    const present = new Set(await configFiles.configKeys(stack));
    const plan = planSecrets(needed.filter((name) => !present.has(name)), env.target);
    if (plan.kind === "missing") problems.push(missingSecretsMessage(stack.name, plan.names));
    if (plan.kind === "generate") {
      const entries: Record<string, { value: string; secret: boolean }> = {};
      for (const name of plan.names) {
        const value = generatedSecret();
        generatedValues.push(value);
        entries[name] = { value, secret: true };
      }
      config.set(stack.name, entries);
      notes.push(`${stack.name}: generated secret config ${plan.names.join(", ")} (a ${env.target} environment; stored encrypted in Pulumi.${stack.name}.yaml)`);
    }
  }
  if (problems.length > 0) throw new PreflightError(problems.join("\n"));
  return { config, generatedValues, notes };
}
