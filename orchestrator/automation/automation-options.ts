import { watchdogEnv } from "./watchdog";

export interface AutomationOptions {
  /** Directory holding Pulumi.yaml: the repository root, so the engine runs the same program `pulumi preview` does. */
  readonly workDir: string;
  /**
   * Directory of the Pulumi.yaml the engine runs, when not workDir's: the compiled tree (dist/), whose
   * project runs the compiled program and keeps its stacks' config in workDir (stackConfigDir).
   */
  readonly programDir?: string;
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
