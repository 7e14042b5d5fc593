import * as os from "node:os";
import { InvalidArgumentError, type Command, type CommanderError } from "commander";
import { PreflightError } from "../../model/preflight-error";
import { environmentProblem } from "../../../environments/load";
import { layerSelectionProblem } from "../../plan/plan";
import { retryPatternProblem } from "../../run/retry";

// Argument parsers: each refuses a bad value while the command line is parsed, before anything
// runs, with a message that says what would be valid (commander prefixes the flag and value).

/** A whole number of at least `min`, e.g. --parallel 4. */
export function wholeNumber(min: number, example: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim()) || Number(value) < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, such as ${example}`);
    return Number(value);
  };
}

/** An environment: a plain name with a file in environments/. */
export function environmentName(value: string): string {
  const problem = environmentProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** Collects repeatable --retry-on patterns, each a valid regular expression. */
export function transientPatterns(value: string, previous: readonly string[] = []): string[] {
  const problem = retryPatternProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return [...previous, value];
}

/** Collects repeatable, comma separated --layers values; each must name at least one layer, and only layers. */
export function layerList(value: string, previous: readonly string[] = []): string[] {
  const names = value.split(",").map((name) => name.trim()).filter(Boolean);
  const problem = layerSelectionProblem(names);
  if (problem) throw new InvalidArgumentError(problem);
  return [...previous, ...names];
}

/** Collects the values of a repeatable flag. */
export function repeatable(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

/**
 * destroy --purge-crds deletes every custom resource of the platform's CRDs: only after a destroy
 * of every stack, and confirmed by --yes where no terminal can ask. Pure.
 */
export function purgeFlagsProblem(flags: { readonly purgeCrds?: boolean; readonly yes?: boolean; readonly layers?: readonly string[] }, interactive: boolean): string | undefined {
  if (flags.yes && !flags.purgeCrds) return "--yes confirms --purge-crds and means nothing without it; nothing was run";
  if (!flags.purgeCrds) return undefined;
  if (flags.layers) return "--purge-crds runs only after a destroy of every stack; drop --layers; nothing was run";
  if (!flags.yes && !interactive) return "--purge-crds deletes CRDs and every custom resource of them, and no terminal can confirm it here: add --yes to confirm; nothing was run";
  return undefined;
}

/** promote --approve records who approved: where no terminal can ask (CI), --approver must say. Pure. */
export function approvalFlagsProblem(flags: { readonly approve?: boolean; readonly approver?: string }, interactive: boolean): string | undefined {
  if (flags.approve && !flags.approver && !interactive) {
    return "--approve needs --approver <identity> where no terminal can ask (CI): the approver is recorded with the promotion; nothing was run";
  }
  return undefined;
}

export interface BreakGlassFlags {
  readonly breakGlass?: boolean;
  readonly approveBudget?: boolean;
  readonly reason?: string;
}

/** --break-glass overrides a change window only with a --reason, which is recorded and notified. Pure. */
export function breakGlassFlagsProblem(flags: BreakGlassFlags): string | undefined {
  if (flags.breakGlass && !flags.reason?.trim()) return '--break-glass needs --reason "<why>": the reason is recorded with the run and notified; nothing was run';
  if (flags.reason !== undefined && !flags.breakGlass && !flags.approveBudget) return "--reason goes with --break-glass or --approve-budget (or `promote hold`); nothing was run";
  return undefined;
}

/** Who breaks the glass: the CI actor where there is one, else the local user. */
export function breakGlassRequest(flags: BreakGlassFlags): { reason: string; by: string } | undefined {
  const problem = breakGlassFlagsProblem(flags);
  if (problem) throw new PreflightError(problem);
  return flags.breakGlass ? { reason: flags.reason!.trim(), by: process.env.GITHUB_ACTOR ?? os.userInfo().username } : undefined;
}

/** What commander reported, and for a flag or argument it does not know or misses, what the command takes. */
export function flagErrorMessage(program: Command, argv: readonly string[], error: CommanderError): string {
  const message = error.message.replace(/^error: /, "");
  if (error.code === "commander.invalidArgument") return `error: ${message}; nothing was run`;
  const command = program.commands.find((candidate) => candidate.name() === argv[0]);
  if (!command) return `error: ${message}\ncommands: ${program.commands.map((c) => c.name()).join(", ")}; see --help`;
  const options = command.options.map((option) => option.flags).join("; ");
  return `error: ${message}\nvalid options for ${command.name()}: ${options} (usage: ${command.name()} ${command.usage()}; nothing was run)`;
}
