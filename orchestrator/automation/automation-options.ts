import { watchdogEnv } from "./watchdog";

export interface AutomationOptions {
  /** Directory holding Pulumi.yaml: the repository root, so the engine runs the same program `pulumi preview` does. */
  readonly workDir: string;
  /** Defaults to PULUMI_BACKEND_URL. */
  readonly backendUrl?: string;
  /** `passphrase` (default) or a KMS URL such as `awskms://alias/platform`. */
  readonly secretsProvider?: string;
  /** Extra environment for every engine command. */
  readonly envVars?: Readonly<Record<string, string>>;
}

/** The environment of every pulumi command, through the Automation API or not. */
export function engineEnv(options: AutomationOptions): Record<string, string> {
  return { ...watchdogEnv(), ...(options.backendUrl ? { PULUMI_BACKEND_URL: options.backendUrl } : {}), ...options.envVars };
}
