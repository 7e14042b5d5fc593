import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../orchestrator/cli/main";

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the CLI in this process with its output captured; a process.exit becomes the result's
 * code. Run data and state go to a throwaway directory, should a command get as far as running.
 */
export async function runCli(argv: readonly string[]): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cli-run-"));
  const original = { stdout: process.stdout.write, stderr: process.stderr.write, exit: process.exit, exitCode: process.exitCode };
  // Set and restored key by key: replacing process.env would cut it off from the real environment.
  const savedEnv = { PLATFORM_DATA: process.env.PLATFORM_DATA, PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL };
  process.env.PLATFORM_DATA = path.join(scratch, "data");
  process.env.PULUMI_BACKEND_URL = `file://${path.join(scratch, "state")}`;
  const exited = new Error("process.exit");
  let exitCode: number | undefined;
  process.stdout.write = ((chunk: string) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    exitCode = code ?? 0;
    throw exited;
  }) as typeof process.exit;
  try {
    const code = await main(argv).catch((error: unknown) => {
      if (error === exited) return exitCode!;
      throw error;
    });
    return { code, stdout: out.join(""), stderr: err.join("") };
  } finally {
    process.stdout.write = original.stdout;
    process.stderr.write = original.stderr;
    process.exit = original.exit;
    process.exitCode = original.exitCode;
    for (const [key, value] of Object.entries(savedEnv)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
