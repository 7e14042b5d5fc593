import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../../environments/config-error";
import type { Operation } from "../model/stack";
import { LockedError } from "../locks/environment-lock";
import { PlanError } from "../plan/plan";
import { PreflightError } from "../model/preflight-error";
import { environmentStatus, historyView } from "../status/status";
import { operate } from "../operate/operate";
import { promote } from "../promote/promote";
import { openWorkspace } from "../workspace/workspace";
import { approvalSource, purgeConfirmation } from "./approval";
import { driftCommand } from "./drift-command";
import { usePrivateTempDir } from "../run/private-temp";
import { interruptHandling, type Interrupts } from "./interrupts";
import { EXIT, exitCodeOfRun } from "./exit-codes";
import { environmentName, flagErrorMessage, layerList, purgeFlagsProblem, repeatable, transientPatterns, wholeNumber } from "./flags";
import { renderHistory, renderStatus } from "./inspect";
import { terminalReporter } from "./reporter";
import { addReportCommand } from "./report-command";
import { addMetricsCommand } from "./metrics-command";
import { addSbomCommand } from "./sbom-command";
import { afterPromotion, afterRun, announcingApproval } from "./aftermath";
import { graphCommand, type GraphFlags } from "./graph-command";
import { addLockCommand } from "./lock-command";
import { leftoverProblemOf, operationDocument } from "./operation-output";

const EXIT_CODES_HELP = `
Exit codes:
  0    success (drift: no drift)
  1    one or more stacks failed, or an unexpected error
  2    drift found (drift only)
  3    invalid input: flags, environment files, plan, capacity, policy packs, missing secrets or charts; nothing touched
  4    the environment is locked by another run
  5    promotion refused: a gate failed or approval missing
  130  interrupted
`;


interface CommonFlags {
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
  yes?: boolean;
  backend?: string;
  secretsProvider?: string;
}

function withWorkspaceFlags(command: Command): Command {
  return command
    .addOption(new Option("--backend <url>", "state backend (file://, s3://, azblob://, https://api.pulumi.com)").env("PULUMI_BACKEND_URL"))
    .addOption(new Option("--secrets-provider <url>", "secrets provider for new stacks: passphrase (default) or a KMS URL such as awskms://alias/platform").env("PLATFORM_SECRETS_PROVIDER"));
}

function operationCommand(program: Command, interrupts: Interrupts, operation: Operation, description: string, examples: string): void {
  const command = program
    .command(operation)
    .description(description)
    .requiredOption("-e, --env <name>", "environment (a file in environments/)", environmentName)
    .option("-l, --layers <list>", "only these layers, comma separated (repeatable)", layerList)
    .option("--with-deps", "with --layers: also the layers they need (destroy: the layers that need them)")
    .option("-p, --parallel <n>", "at most n stacks at once", wholeNumber(1, 4), 4)
    .option("--json", "print the run record as JSON on stdout (progress goes nowhere)")
    .option("--retries <n>", "retries for transient engine errors", wholeNumber(0, 2), 2)
    .option("--retry-on <regex>", "also treat errors matching this as transient (repeatable)", transientPatterns);
  if (operation === "up") command.option("--force", "run stacks even when their fingerprint is unchanged");
  if (operation === "destroy") {
    command
      .option("--purge-crds", "after destroying every stack, delete the CRDs the platform's charts left, with all their custom resources (asks first)")
      .option("--yes", "confirm --purge-crds without asking (needed where no terminal can ask, e.g. CI)");
  }
  if (operation === "up" || operation === "preview") {
    command
      .option("--refresh", "refresh state from the cluster/cloud first")
      .option("--policy-pack <dir>", "extra policy pack to enforce (repeatable)", repeatable)
      .option("--no-policy", "do not enforce the platform policy pack");
  }
  withWorkspaceFlags(command).addHelpText("after", `\nExamples:\n${examples}\n${EXIT_CODES_HELP}`);
  command.action(async (flags: CommonFlags) => {
    const purgeProblem = purgeFlagsProblem(flags, Boolean(process.stdin.isTTY) && process.env.CI !== "true");
    if (purgeProblem) throw new PreflightError(purgeProblem);
    const workspace = openWorkspace(flags);
    const signal = interrupts.stopping("letting running stacks stop cleanly, starting no new ones");
    const policyPacks = operation === "up" || operation === "preview" ? [...(flags.policy === false ? [] : [workspace.policyPack]), ...(flags.policyPack ?? [])] : [];
    const json = Boolean(flags.json);
    const result = await operate(
      workspace,
      operation,
      {
        env: flags.env,
        layers: flags.layers,
        withDeps: flags.withDeps,
        parallel: flags.parallel,
        force: flags.force,
        refresh: flags.refresh,
        policyPacks,
        retries: flags.retries,
        retryOn: flags.retryOn,
        ...(flags.purgeCrds ? { purgeCrds: purgeConfirmation(flags) } : {}),
      },
      terminalReporter({ json, summaries: !json }),
      signal,
    );
    const { record } = result;
    if (json) process.stdout.write(`${JSON.stringify(operationDocument(result), null, 2)}\n`);
    await afterRun(workspace, record);
    process.exitCode = leftoverProblemOf(result) && record.status === "succeeded" ? EXIT.failed : exitCodeOfRun(record);
  });
}

export function buildProgram(interrupts: Interrupts = { stopping: () => new AbortController().signal }): Command {
  const program = new Command("platform")
    .description("Deploy and operate the seven-layer Kubernetes platform, one Pulumi stack per layer and environment.")
    .addHelpText("after", EXIT_CODES_HELP)
    // Set before the commands are added, so each inherits them: main() reports flag errors itself, with exit 3.
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  operationCommand(program, interrupts, "up", "deploy an environment's stacks in dependency order, in parallel", [
    "  npm run up -- --env local",
    "  npm run up -- --env dev --layers ingress --with-deps --parallel 2",
    "  npm run up -- --env dev --json > run.json",
  ].join("\n"));
  operationCommand(program, interrupts, "preview", "show what up would change, with policies enforced", "  npm run preview -- --env staging\n  npm run preview -- --env prod --layers mesh");
  operationCommand(program, interrupts, "refresh", "read real state from the cluster/cloud into the stacks' state", "  npm run refresh -- --env dev");
  operationCommand(program, interrupts, "destroy", "remove an environment's stacks, dependents first", "  npm run destroy -- --env local\n  npm run destroy -- --env dev --layers observability --with-deps\n  npm run destroy -- --env local --purge-crds          # asks before deleting the CRDs the charts left\n  npm run destroy -- --env dev --purge-crds --yes      # CI");

  withWorkspaceFlags(
    program
      .command("graph")
      .description("print the stack plan: waves and dependencies as text, Mermaid, DOT, or a GitHub Actions workflow; or the stacks an up would run")
      .requiredOption("-e, --env <name>", "environment", environmentName)
      .addOption(new Option("-f, --format <format>", "output format").choices(["text", "mermaid", "dot", "github-actions"]).default("text"))
      .addOption(new Option("-o, --operation <op>", "plan for this operation").choices(["up", "preview", "refresh", "destroy"]).default("up"))
      .option("-l, --layers <list>", "only these layers", layerList)
      .option("--with-deps", "with --layers: also what they need")
      .option("--json", "the plan as JSON")
      .option("--changed", "list the stacks whose fingerprints changed since their last successful up, and their dependents (reads the backend)")
      .option("--github-output <file>", "with --changed: append changed=<json list> to this file ($GITHUB_OUTPUT)"),
  )
    .addHelpText(
      "after",
      "\nExamples:\n  npm run graph -- --env dev\n  npm run graph -- --env prod --format mermaid\n  npm run graph -- --env dev --operation destroy --format dot | dot -Tsvg > plan.svg\n  npm run graph -- --env prod --format github-actions > .github/workflows/deploy-prod.yml\n  npm run graph -- --env dev --changed --json",
    )
    .action((flags: GraphFlags & { backend?: string; secretsProvider?: string }) => graphCommand(flags, () => openWorkspace(flags)));

  withWorkspaceFlags(
    program
      .command("drift")
      .description("preview-based drift detection: reality vs state (refresh preview) and code vs state (preview), per resource and property")
      .requiredOption("-e, --env <name>", "environment", environmentName)
      .option("-l, --layers <list>", "only these layers", layerList)
      .option("-p, --parallel <n>", "stacks checked at once", wholeNumber(1, 4), 4)
      .option("--json", "the report as JSON on stdout")
      .option("--markdown <file>", "also write the report as Markdown (appended to $GITHUB_STEP_SUMMARY when set)")
      .option("--refresh-all", "run the refresh preview for every stack (by default a stack whose live objects match its state field for field is not refreshed)")
      .addOption(new Option("--remediate <how>", "for drifted stacks only: refresh = accept reality into state, up = put reality back to the code").choices(["refresh", "up"])),
  )
    .addHelpText("after", "\nExamples:\n  npm run drift -- --env prod\n  npm run drift -- --env dev --markdown drift.md --json > drift.json\n  npm run drift -- --env dev --remediate up\n\nExit codes: 0 clean, 2 drift, 1 error, 4 locked (drift holds the environment lock: no up runs while it reads state)")
    .action(async (flags: { env: string; layers?: string[]; parallel: number; json?: boolean; markdown?: string; refreshAll?: boolean; remediate?: "refresh" | "up"; backend?: string; secretsProvider?: string }) => {
      const signal = interrupts.stopping("stopping the drift check; nothing is changed");
      const code = await driftCommand(openWorkspace(flags), flags, signal);
      process.exitCode = signal.aborted ? EXIT.interrupted : code;
    });

  withWorkspaceFlags(
    program
      .command("promote")
      .description("promote the source's release (chart versions, component values) to the target, with gates, approval and automatic rollback")
      .argument("<source>", "environment to promote from", environmentName)
      .argument("<target>", "environment to promote to", environmentName)
      .option("-l, --layers <list>", "only these layers", layerList)
      .option("-p, --parallel <n>", "stacks at once", wholeNumber(1, 4), 4)
      .option("--approve", "approve (required where the target says so; needs --approver in CI)")
      .option("--approver <identity>", "who approves, recorded with the run")
      .option("--verify-timeout <seconds>", "how long workloads may take to become healthy", wholeNumber(1, 300), 300)
      .option("--policy-pack <dir>", "extra policy pack (repeatable)", repeatable)
      .option("--json", "the promotion report as JSON on stdout"),
  )
    .addHelpText("after", "\nExamples:\n  npm run promote -- dev staging\n  npm run promote -- staging prod                      # asks for approval on a terminal\n  npm run promote -- staging prod --approve --approver alice@example.com   # CI\n\nExit codes: 0 promoted (or nothing to promote), 5 refused by a gate, 1 failed (rolled back), 4 locked")
    .action(async (source: string, target: string, flags: { layers?: string[]; parallel: number; approve?: boolean; approver?: string; verifyTimeout: number; policyPack?: string[]; json?: boolean; backend?: string; secretsProvider?: string }) => {
      const workspace = openWorkspace(flags);
      const signal = interrupts.stopping("letting the promotion's running stacks stop cleanly");
      const outcome = await promote(workspace, {
        signal,
        source,
        target,
        layers: flags.layers,
        parallel: flags.parallel,
        policyPacks: [workspace.policyPack, ...(flags.policyPack ?? [])],
        verifyTimeoutMs: flags.verifyTimeout * 1000,
        approve: announcingApproval(workspace, source, target, approvalSource(flags, target), Boolean(flags.approve)),
        reporter: terminalReporter({ json: Boolean(flags.json), summaries: true }),
      });
      await afterPromotion(workspace, outcome.report, outcome.changelogFile);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...outcome.report, changelog: outcome.changelogFile }, null, 2)}\n`);
      else process.stdout.write(`promotion ${outcome.report.source} -> ${outcome.report.target}: ${outcome.report.result}\n`);
      const result = outcome.report.result;
      process.exitCode = result === "promoted" || result === "nothing-to-promote" ? EXIT.ok : result === "refused" ? EXIT.refused : EXIT.failed;
    });

  withWorkspaceFlags(
    program
      .command("status")
      .description("each stack's last recorded result in an environment, and who holds its lock")
      .requiredOption("-e, --env <name>", "environment", environmentName)
      .option("--json", "as JSON"),
  ).action(async (flags: { env: string; json?: boolean; backend?: string }) => {
    const status = await environmentStatus(openWorkspace(flags), flags.env);
    process.stdout.write(`${flags.json ? JSON.stringify(status, null, 2) : renderStatus(status)}\n`);
  });

  withWorkspaceFlags(
    program
      .command("history")
      .description("recent runs, success rate, mean and p95 durations per stack, most frequent failures")
      .option("-e, --env <name>", "only this environment", environmentName)
      .option("-n, --limit <n>", "runs to list", wholeNumber(1, 20), 20)
      .option("--json", "as JSON"),
  ).action(async (flags: { env?: string; limit: number; json?: boolean; backend?: string }) => {
    const view = await historyView(openWorkspace(flags), flags.env, flags.limit);
    process.stdout.write(`${flags.json ? JSON.stringify(view, null, 2) : renderHistory(view)}\n`);
  });
  addLockCommand(program, withWorkspaceFlags);
  addReportCommand(program, withWorkspaceFlags);
  addMetricsCommand(program, withWorkspaceFlags);
  addSbomCommand(program);
  return program;
}

/** Maps what went wrong to an exit code and a message that says what to fix. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ConfigError || error instanceof PlanError || error instanceof PreflightError) return EXIT.invalid;
  if (error instanceof LockedError) return EXIT.locked;
  return EXIT.failed;
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(interruptHandling());
  const temp = usePrivateTempDir();
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok;
      process.stderr.write(`${flagErrorMessage(program, argv, error)}\n`);
      return EXIT.invalid;
    }
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return exitCodeFor(error);
  } finally {
    temp.remove();
  }
}

if (require.main === module) {
  // Commands may be given as the first argument by npm scripts (`npm run up -- --env dev` runs `main.ts up --env dev`).
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
