import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMPILED_DIR } from "../../environments/checkout-root";
import { staleBuildProblem } from "../../orchestrator/workspace/build-stamp";
import { CHART_SOURCE } from "./chart-source";

const REPO = path.resolve(__dirname, "../..");
const PROGRAM_ENTRIES = ["Pulumi.yaml", "package.json", "tsconfig.json", "tsconfig.build.json", "stacks", "components", "environments", "pricing", "orchestrator", "policy", "tools"];

/** A copy of this checkout in a temp dir, sharing node_modules and the built engine, with its own state, data and stack config files. */
export interface TempCheckout {
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Runs the compiled CLI (`dist/orchestrator/cli/main.js`) the way `npm run` does. */
  cli(args: readonly string[]): Promise<CommandResult>;
  /** Runs any command in the checkout with its environment. */
  exec(command: string, args: readonly string[]): Promise<CommandResult>;
  /** Starts the CLI in a process group of its own, for tests that kill it or act while it runs; `extraEnv` is added to the checkout's. */
  startCli(args: readonly string[], extraEnv?: Record<string, string>): RunningCommand;
  dispose(): void;
}

export interface RunningCommand {
  readonly pid: number;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  readonly done: Promise<CommandResult>;
}

export interface CommandResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function tempCheckout(extraEnv: Record<string, string> = {}): TempCheckout {
  const dir = copyOfSources();
  // With the sources' times kept, the copy's build stamp matches its sources as it matched the checkout's.
  fs.cpSync(compiledTree(), path.join(dir, COMPILED_DIR), { recursive: true, preserveTimestamps: true });
  // The lockfile keeps its time so `npm run setup` in the checkout sees node_modules as current and never reinstalls the shared one.
  fs.cpSync(path.join(REPO, "package-lock.json"), path.join(dir, "package-lock.json"), { preserveTimestamps: true });
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(dir, "node_modules"), "dir");
  const data = path.join(dir, ".platform");
  fs.mkdirSync(data, { recursive: true });
  for (const file of ["engine-bin", "cluster-bin", "tools-bin"]) {
    const source = path.join(process.env.PLATFORM_DATA ?? path.join(REPO, ".platform"), file);
    if (fs.existsSync(source)) fs.copyFileSync(source, path.join(data, file));
  }
  // Its own temp directory, so a test can see what runs leave behind there.
  const tmp = path.join(dir, "tmp");
  fs.mkdirSync(tmp);
  const env: Record<string, string> = {
    TMPDIR: tmp,
    PULUMI_BACKEND_URL: `file://${path.join(data, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "e2e-passphrase",
    PLATFORM_DATA: data,
    // A copy in the temp folder has no ../shared/charts beside it: its setup and chart lookups read this checkout's.
    PLATFORM_CHART_SOURCE: CHART_SOURCE,
    CI: "true",
    ...extraEnv,
  };
  fs.mkdirSync(path.join(data, "state"), { recursive: true });
  const exec = (command: string, args: readonly string[]) => run(command, args, dir, env);
  return {
    dir,
    env,
    exec,
    cli: (args) => exec("bash", ["tools/cli", ...args]),
    startCli: (args, extraEnv = {}) => start("bash", ["tools/cli", ...args], dir, { ...env, ...extraEnv }),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-checkout-"));
  for (const entry of PROGRAM_ENTRIES) {
    fs.cpSync(path.join(REPO, entry), path.join(dir, entry), {
      recursive: true,
      preserveTimestamps: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.endsWith("-embed.json"),
    });
  }
  return dir;
}

let builtHere: string | undefined;

/** This checkout's dist/ when it matches the source; else one built once per test process from a copy (the checkout is left alone). */
function compiledTree(): string {
  if (!staleBuildProblem(REPO)) return path.join(REPO, COMPILED_DIR);
  if (!builtHere) {
    const scratch = copyOfSources();
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(scratch, "node_modules"), "dir");
    const build = spawnSync(process.execPath, ["--require", "ts-node/register", "tools/build.ts"], { cwd: scratch, encoding: "utf8", env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true" } });
    if (build.status !== 0) throw new Error(`npm run build failed in a copy of the checkout (${scratch}): ${build.stderr || build.stdout}`);
    process.on("exit", () => fs.rmSync(scratch, { recursive: true, force: true }));
    builtHere = path.join(scratch, COMPILED_DIR);
  }
  return builtHere;
}

function run(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string>): Promise<CommandResult> {
  return start(command, args, cwd, extraEnv, false).done;
}

function start(command: string, args: readonly string[], cwd: string, extraEnv: Record<string, string>, detached = true): RunningCommand {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete env.PLATFORM_ROOT;
  delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  const child = spawn(command, [...args], { cwd, env, detached });
  let stdout = "";
  let stderr = "";
  let both = "";
  child.stdout.on("data", (chunk) => ((stdout += chunk), (both += chunk)));
  child.stderr.on("data", (chunk) => ((stderr += chunk), (both += chunk)));
  const done = new Promise<CommandResult>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 128 + 9 : -1), stdout, stderr }));
  });
  return { pid: child.pid!, output: () => both, done };
}
