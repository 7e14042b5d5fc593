import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";

// Section 5 of npm run bench: what start-up costs compiled (dist/) and through ts-node, side by side in one checkout.

const RUNS = 7;
// Each a whole engine call (a preview of a few seconds): fewer runs.
const PROGRAM_RUNS = 3;
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Preloaded into the stack program's node (NODE_OPTIONS reaches it through the engine and the language host):
 * appends the CPU the process has spent once the program module has loaded, before the engine has heard of a resource.
 */
const PROGRAM_START_HOOK = `
const Module = require("node:module");
const load = Module._load;
let seen = false;
Module._load = function (request, ...rest) {
  if (seen || !/stacks[\\\\/]index(\\.[jt]s)?$/.test(request)) return load.call(this, request, ...rest);
  seen = true;
  try {
    return load.call(this, request, ...rest);
  } finally {
    const cpu = process.cpuUsage();
    require("node:fs").appendFileSync(process.env.STARTUP_BENCH_LOG, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000 }) + "\\n");
  }
};
`;

export async function startupBench(): Promise<void> {
  console.log(`\n5. start-up: compiled (dist/) vs ts-node, medians of ${RUNS} runs (the stack program: ${PROGRAM_RUNS})`);
  const checkout = tempCheckout();
  try {
    console.log("   command                  compiled(ms)  ts-node(ms)  ts-node/compiled");
    let slowest = 0;
    for (const args of [
      ["status", "--env", "local"],
      ["graph", "--env", "local"],
    ]) {
      const compiled: number[] = [];
      const source: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        compiled.push(wallMs(checkout, ["dist/orchestrator/cli/main.js", ...args]));
        source.push(wallMs(checkout, ["--require", "ts-node/register", "orchestrator/cli/main.ts", ...args]));
      }
      row(args.join(" "), median(compiled), median(source));
      slowest = Math.max(slowest, median(compiled));
    }
    const bare = median(Array.from({ length: RUNS }, () => wallMs(checkout, ["-e", ""])));
    console.log(`   node with an empty program: ${bare.toFixed(0)} ms (the floor on this machine now)`);
    console.log(`   target: status and graph compiled under 300 ms: ${slowest < 300 ? "met" : "not met"} (slowest ${slowest.toFixed(0)} ms)`);
    const program = programStartCpu(checkout, "ingress-local");
    console.log("   stack program, per engine call: CPU until its module has loaded (before its first resource reaches the engine)");
    row("pulumi preview (program)", program.compiled, program.source);
  } finally {
    checkout.dispose();
  }
}

function row(label: string, compiled: number, source: number): void {
  console.log(`   ${label.padEnd(24)} ${compiled.toFixed(0).padStart(12)}  ${source.toFixed(0).padStart(11)}  ${(source / compiled).toFixed(2).padStart(16)}`);
}

function wallMs(checkout: TempCheckout, nodeArgs: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [...nodeArgs], { cwd: checkout.dir, env: { ...process.env, ...checkout.env, TS_NODE_TRANSPILE_ONLY: "true" }, encoding: "utf8" });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${nodeArgs.join(" ")} exited ${result.status}: ${result.stderr.slice(-2000)}`);
  return elapsed;
}

/** Median CPU of the stack program up to its loaded module, over previews run with the compiled project (dist/) and the source's (root). */
function programStartCpu(checkout: TempCheckout, stack: string): { compiled: number; source: number } {
  const hook = path.join(checkout.dir, "tmp", "program-start-hook.js");
  fs.writeFileSync(hook, PROGRAM_START_HOOK);
  const shell = (script: string, log?: string) =>
    spawnSync("bash", ["-c", `source tools/env.sh && ${script}`], {
      cwd: checkout.dir,
      env: { ...process.env, ...checkout.env, ...(log ? { NODE_OPTIONS: `--require ${hook}`, STARTUP_BENCH_LOG: log } : {}) },
      encoding: "utf8",
    });
  const init = shell(`pulumi stack init ${stack} --non-interactive`);
  if (init.status !== 0) throw new Error(`pulumi stack init ${stack}: ${init.stderr}`);
  const cpu = (projectDir: string, name: string): number => {
    const log = path.join(checkout.dir, "tmp", `program-start-${name}.jsonl`);
    // The preview itself may fail (a layer without its foundation deployed): the program has loaded by then.
    for (let run = 0; run < PROGRAM_RUNS; run++) shell(`pulumi preview --stack ${stack} --non-interactive --cwd ${projectDir}`, log);
    const samples = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { cpuMs: number }).cpuMs) : [];
    if (samples.length === 0) throw new Error(`no stack program start was recorded for ${name}: did the engine run the program?`);
    return median(samples);
  };
  return { compiled: cpu("dist", "compiled"), source: cpu(".", "source") };
}
