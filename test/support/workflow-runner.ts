import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { interpolate, jobCondition, type ExpressionContext } from "./gha-expressions";
import type { CommandResult, TempCheckout } from "./temp-checkout";

interface WorkflowStep {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly env?: Record<string, string>;
}
interface WorkflowJob {
  readonly needs?: string | string[];
  readonly if?: string;
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly steps: WorkflowStep[];
}
interface Workflow {
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, WorkflowJob>;
}

export type JobResult = "success" | "failure" | "skipped";

export interface JobRun {
  readonly id: string;
  readonly result: JobResult;
  readonly outputs: Record<string, string>;
  /** The fresh checkout the job ran in (removed afterwards); undefined when skipped. */
  readonly checkoutDir?: string;
  readonly steps: ReadonlyArray<{ readonly name: string; readonly ran: boolean; readonly result?: CommandResult }>;
  readonly startedAt: number;
  readonly finishedAt: number;
}

export interface RunnerOptions {
  readonly vars: Record<string, string>;
  readonly secrets: Record<string, string>;
  readonly github: Record<string, string>;
  /** A fresh checkout per job, as a new runner makes: its own work tree and `.platform`. */
  readonly newCheckout: (job: string) => Promise<TempCheckout>;
  /** Runs after each job, while its checkout still exists (for checks on what it left). */
  readonly afterJob?: (run: JobRun, checkout: TempCheckout | undefined) => Promise<void> | void;
}

const needsOf = (job: WorkflowJob) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);

/**
 * Runs a workflow's jobs the way separate runners would: in `needs` order, each in its own fresh
 * checkout, each `run:` step a separate bash process; `uses:` steps other than checkout (setup-go,
 * cache, cloud logins) are what the runner image already provides here and are not run. Jobs
 * share nothing but what they write to the backend and their declared outputs.
 */
export async function runWorkflow(text: string, options: RunnerOptions): Promise<Map<string, JobRun>> {
  const workflow = parse(text) as Workflow;
  const runs = new Map<string, JobRun>();
  const pending = new Set(Object.keys(workflow.jobs));
  while (pending.size > 0) {
    const ready = [...pending].find((id) => needsOf(workflow.jobs[id]!).every((need) => runs.has(need)));
    if (!ready) throw new Error(`jobs ${[...pending].join(", ")} wait on each other or on unknown jobs`);
    pending.delete(ready);
    runs.set(ready, await runJob(ready, workflow, runs, options));
  }
  return runs;
}

async function runJob(id: string, workflow: Workflow, done: Map<string, JobRun>, options: RunnerOptions): Promise<JobRun> {
  const job = workflow.jobs[id]!;
  const startedAt = Date.now();
  const needs = Object.fromEntries(needsOf(job).map((need) => [need, { result: done.get(need)!.result, outputs: done.get(need)!.outputs }]));
  const stepsContext: Record<string, { outputs: Record<string, string> }> = {};
  const context = (): ExpressionContext => ({
    contexts: { needs, vars: options.vars, secrets: options.secrets, github: options.github, runner: { os: "Linux" }, steps: stepsContext, inputs: {} },
    needResults: Object.values(needs).map((n) => n.result),
    cancelled: false,
  });
  if (!jobCondition(job.if, context())) {
    const skipped: JobRun = { id, result: "skipped", outputs: {}, steps: [], startedAt, finishedAt: Date.now() };
    await options.afterJob?.(skipped, undefined);
    return skipped;
  }
  const checkout = await options.newCheckout(id);
  const env = { ...interpolateAll(workflow.env, context()), ...interpolateAll(job.env, context()) };
  const steps: Array<JobRun["steps"][number]> = [];
  let result: JobResult = "success";
  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${index + 1}`;
    if (result === "failure" || step.run === undefined) {
      steps.push({ name, ran: false });
      continue;
    }
    const outputFile = path.join(checkout.dir, `.github-output-${index}`);
    fs.writeFileSync(outputFile, "");
    const stepEnv = { ...env, ...interpolateAll(step.env, context()), GITHUB_OUTPUT: outputFile, GITHUB_JOB: id };
    const ran = await checkout.exec("env", [...Object.entries(stepEnv).map(([key, value]) => `${key}=${value}`), "bash", "-eo", "pipefail", "-c", interpolate(step.run, context())]);
    steps.push({ name, ran: true, result: ran });
    if (step.id) stepsContext[step.id] = { outputs: readOutputs(outputFile) };
    if (ran.code !== 0) result = "failure";
  }
  const outputs = result === "success" ? interpolateAll(job.outputs, context()) : {};
  const run: JobRun = { id, result, outputs, checkoutDir: checkout.dir, steps, startedAt, finishedAt: Date.now() };
  try {
    await options.afterJob?.(run, checkout);
  } finally {
    checkout.dispose();
  }
  return run;
}

function interpolateAll(values: Record<string, string> | undefined, context: ExpressionContext): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([key, value]) => [key, interpolate(String(value), context)]));
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const at = line.indexOf("=");
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}
