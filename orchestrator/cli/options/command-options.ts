import { Option, type Command } from "commander";
import { environmentName, layerList, wholeNumber } from "./flags";

/** Where state and secrets live: --backend and --secrets-provider, each also read from the environment. */
export function withWorkspaceOptions(command: Command): Command {
  return command
    .addOption(new Option("--backend <url>", "state backend (file://, s3://, azblob://, https://api.pulumi.com)").env("PULUMI_BACKEND_URL"))
    .addOption(new Option("--secrets-provider <url>", "secrets provider for new stacks: passphrase (default) or a KMS URL such as awskms://alias/platform").env("PLATFORM_SECRETS_PROVIDER"));
}

export interface EnvironmentOptionSpec {
  readonly required: boolean;
  readonly description?: string;
  /** Skips the check against environments/: the command loads the environment itself, or only filters history by the name. */
  readonly anyName?: boolean;
}

/** -e, --env <name>. */
export function withEnvironmentOption(command: Command, { required, description = "environment", anyName = false }: EnvironmentOptionSpec): Command {
  const option = new Option("-e, --env <name>", description).makeOptionMandatory(required);
  return command.addOption(anyName ? option : option.argParser(environmentName));
}

/** -l, --layers <list>: repeatable, comma separated, checked against the layers. */
export function withLayersOption(command: Command, description = "only these layers"): Command {
  return command.option("-l, --layers <list>", description, layerList);
}

/** -p, --parallel <n>: at least 1, 4 by default. */
export function withParallelOption(command: Command, description: string): Command {
  return command.option("-p, --parallel <n>", description, wholeNumber(1, 4), 4);
}

/** --break-glass --reason: go ahead outside the environment's change windows, recorded and notified. */
export function withBreakGlassOption(command: Command): Command {
  return command.option("--break-glass", "go ahead outside the environment's change windows (needs --reason; recorded and notified)").option("--reason <text>", "why, recorded with the run and notified (for --break-glass, and --approve-budget where the command has it)");
}
