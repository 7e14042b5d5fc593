import type { Command } from "commander";
import { runsProgram, type Operation } from "../../model/stack";
import { PreflightError } from "../../model/preflight-error";
import { operate } from "../../operate/operate";
import { leftoverProblemOf, operationDocument } from "../output/operation-output";
import { openWorkspace } from "../../workspace/workspace";
import { afterRun } from "../output/aftermath";
import { purgeConfirmation } from "../options/approval";
import { withBreakGlassOption, withEnvironmentOption, withLayersOption, withParallelOption, withWorkspaceOptions } from "../options/command-options";
import { EXIT, EXIT_CODES_HELP, exitCodeOfRun } from "../output/exit-codes";
import { breakGlassRequest, purgeFlagsProblem, repeatable, transientPatterns, wholeNumber } from "../options/flags";
import { terminalReporter } from "../output/reporter";
import type { CommandContext } from "./context";
import { loadEnvironment } from "../../../environments/load";
import { isFleet } from "../../fleet/fleet";
import { runFleetOperation } from "./fleet-operation";

interface OperationFlags {
  env: string;
  layers?: string[];
  withDeps?: boolean;
  parallel: number;
  force?: boolean;
  refresh?: boolean;
  json?: boolean;
  policyPack?: string[];
  policy: boolean;
  retries: number;
  retryOn?: string[];
  purgeCrds?: boolean;
  approveBudget?: boolean;
  reason?: string;
  yes?: boolean;
  backend?: string;
  secretsProvider?: string;
  breakGlass?: boolean;
}

export interface OperationCommandSpec {
  readonly operation: Operation;
  readonly description: string;
  readonly examples: readonly string[];
  /** Adds the operation's own options, listed after the common ones. */
  readonly options?: (command: Command) => void;
}

/** An engine operation over an environment's stacks: up, preview, refresh or destroy. */
export function addOperationCommand(program: Command, { interrupts }: CommandContext, { operation, description, examples, options }: OperationCommandSpec): void {
  const command = withEnvironmentOption(program.command(operation).description(description), { required: true, description: "environment (a file in environments/)" });
  withLayersOption(command, "only these layers, comma separated (repeatable)").option("--with-deps", "with --layers: also the layers they need (destroy: the layers that need them)");
  withParallelOption(command, "at most n stacks at once")
    .option("--json", "print the run record as JSON on stdout (progress goes nowhere)")
    .option("--retries <n>", "retries for transient engine errors", wholeNumber(0, 2), 2)
    .option("--retry-on <regex>", "also treat errors matching this as transient (repeatable)", transientPatterns);
  if (operation === "up" || operation === "destroy") withBreakGlassOption(command);
  options?.(command);
  withWorkspaceOptions(command).addHelpText("after", `\nExamples:\n${examples.join("\n")}\n${EXIT_CODES_HELP}`);
  command.action(async (flags: OperationFlags) => {
    // A fleet runs its members ring by ring; --parallel bounds the members of a ring at once and each member's stacks.
    const purgeProblem = purgeFlagsProblem(flags, Boolean(process.stdin.isTTY) && process.env.CI !== "true");
    if (purgeProblem) throw new PreflightError(purgeProblem);
    if (flags.approveBudget && !flags.reason?.trim()) throw new PreflightError('--approve-budget needs --reason "<why the budget may be exceeded>"; it is recorded with the run');
    const breakGlass = breakGlassRequest(flags);
    const workspace = openWorkspace(flags);
    const signal = interrupts.stopping("letting running stacks stop cleanly, starting no new ones");
    const policyPacks = runsProgram(operation) ? [...(flags.policy === false ? [] : [workspace.policyPack]), ...(flags.policyPack ?? [])] : [];
    const json = Boolean(flags.json);
    const env = loadEnvironment(flags.env, { dir: workspace.environmentsDir });
    const options = {
      layers: flags.layers,
      withDeps: flags.withDeps,
      parallel: flags.parallel,
      force: flags.force,
      refresh: flags.refresh,
      policyPacks,
      retries: flags.retries,
      retryOn: flags.retryOn,
      ...(flags.purgeCrds ? { purgeCrds: purgeConfirmation(flags) } : {}),
      ...(flags.approveBudget ? { budgetApproval: flags.reason!.trim() } : {}),
      ...(breakGlass ? { breakGlassRequest: breakGlass } : {}),
    };
    if (isFleet(env)) {
      await runFleetOperation(workspace, operation, env, { ...options, parallelMembers: flags.parallel }, json, signal);
      return;
    }
    const result = await operate(workspace, operation, { env: flags.env, ...options }, terminalReporter({ json, summaries: !json }), signal);
    const { record } = result;
    if (json) process.stdout.write(`${JSON.stringify(operationDocument(result), null, 2)}\n`);
    await afterRun(workspace, record);
    process.exitCode = leftoverProblemOf(result) && record.status === "succeeded" ? EXIT.failed : exitCodeOfRun(record);
  });
}

/** up and preview: refresh first, and which policy packs to enforce. */
export function withRefreshAndPolicyOptions(command: Command): void {
  command
    .option("--refresh", "refresh state from the cluster/cloud first")
    .option("--policy-pack <dir>", "extra policy pack to enforce (repeatable)", repeatable)
    .option("--no-policy", "do not enforce the platform policy pack");
}
