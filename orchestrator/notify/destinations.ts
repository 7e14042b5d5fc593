import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { NotificationSettings } from "../../environments/notifications";
import type { Destination } from "./deliver";

/** Looks up a secret config value by name; undefined when it is not set. */
export type SecretLookup = (name: string) => Promise<string | undefined>;

/**
 * Secret config of the environment's foundation stack (every environment has one), read through
 * the Pulumi CLI at run time. `PLATFORM_SECRET_<name>` in the process environment wins, for CI
 * systems that hand secrets over as variables (and for tests).
 */
export function stackSecretLookup(env: string, cwd: string): SecretLookup {
  return async (name) => {
    const fromEnvironment = process.env[`PLATFORM_SECRET_${name}`];
    if (fromEnvironment) return fromEnvironment;
    try {
      const { stdout } = await promisify(execFile)("pulumi", ["config", "get", name, "--stack", `foundation-${env}`, "--json"], { cwd, timeout: 30_000 });
      const parsed = JSON.parse(stdout) as { value?: string };
      return parsed.value;
    } catch {
      return undefined;
    }
  };
}

export interface ResolvedDestinations {
  readonly destinations: readonly Destination[];
  /** One line per name that has no usable value, saying how to set it; never a value. */
  readonly problems: readonly string[];
}

export async function resolveDestinations(env: string, settings: NotificationSettings, lookup: SecretLookup): Promise<ResolvedDestinations> {
  const wanted = [...settings.slack.map((name) => ({ name, kind: "slack" as const })), ...settings.webhooks.map((name) => ({ name, kind: "webhook" as const }))];
  const destinations: Destination[] = [];
  const problems: string[] = [];
  for (const { name, kind } of wanted) {
    const url = await lookup(name);
    if (!url) problems.push(`notifications: secret config ${name} is not set; set it with \`pulumi config set --secret ${name} --stack foundation-${env}\``);
    else if (!/^https?:\/\/[^\s/]+/.test(url)) problems.push(`notifications: secret config ${name} is not an http(s) URL; set it again with \`pulumi config set --secret ${name} --stack foundation-${env}\``);
    else destinations.push({ name, kind, url });
  }
  return { destinations, problems };
}
