import { randomBytes } from "node:crypto";
import type { LayerName } from "../../environments/layers";

/** Which layer's program reads each known secret; a secret not listed here goes to every stack. */
const SECRET_READERS: Readonly<Record<string, readonly LayerName[]>> = {
  grafanaAdminPassword: ["observability"],
  cloudflareApiToken: ["ingress"],
  openbaoUnsealKey: ["security"],
};

export function secretsForLayer(secretNames: readonly string[], layer: LayerName): string[] {
  return secretNames.filter((name) => (SECRET_READERS[name] ?? [layer]).includes(layer));
}

export type SecretPlan =
  | { readonly kind: "ready" }
  | { readonly kind: "generate"; readonly names: readonly string[] }
  | { readonly kind: "missing"; readonly names: readonly string[] };

/**
 * What to do about secrets a stack needs but does not have: a throwaway environment (local) gets
 * generated values; any other environment must have them set by a person, and the run stops first.
 */
export function planSecrets(missing: readonly string[], target: "aws" | "azure" | "local"): SecretPlan {
  if (missing.length === 0) return { kind: "ready" };
  return target === "local" ? { kind: "generate", names: missing } : { kind: "missing", names: missing };
}

export function generatedSecret(): string {
  return randomBytes(24).toString("base64url");
}

export function missingSecretsMessage(stackName: string, names: readonly string[]): string {
  const commands = names.map((name) => `pulumi config set --secret ${name} --stack ${stackName}`);
  return `stack ${stackName} needs secret config ${names.join(", ")}; set it with: ${commands.join(" && ")}`;
}
