import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHART_SOURCE } from "./chart-source";

const REPO = path.resolve(__dirname, "../..");
const PROGRAM_ENTRIES = ["Pulumi.yaml", "package.json", "tsconfig.json", "stacks", "components", "environments", "orchestrator", "policy", "tools"];

/** A copy of this checkout in a temp dir, sharing node_modules and the built engine, with its own state, data and stack config files. */
export interface TempCheckout {
  readonly dir: string;
  readonly env: Record<string, string>;
  /** Runs the CLI (`orchestrator/cli/main.ts`) the way `npm run` does. */
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
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-checkout-"));
  for (const entry of PROGRAM_ENTRIES) {
    fs.cpSync(path.join(REPO, entry), path.join(dir, entry), {
      recursive: true,
      filter: (source) => !source.includes(`${path.sep}node_modules`) && !source.endsWith("-embed.json"),
    });
  }
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
    cli: (args) => exec("bash", ["tools/run", "orchestrator/cli/main.ts", ...args]),
    startCli: (args, extraEnv = {}) => start("bash", ["tools/run", "orchestrator/cli/main.ts", ...args], dir, { ...env, ...extraEnv }),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
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
