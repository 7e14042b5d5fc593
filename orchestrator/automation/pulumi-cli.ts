import { execFile } from "node:child_process";
import * as path from "node:path";
import { engineEnv, type AutomationOptions } from "./automation-options";
import { classifyEngineError } from "./engine-errors";
import { watchedPulumiRoot } from "./watchdog";

/** Runs the pulumi CLI itself, for what the Automation API does not offer as we need it. */
export function pulumiCli(options: AutomationOptions, args: readonly string[], what: string, signal?: AbortSignal): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      path.join(watchedPulumiRoot(), "bin", "pulumi"),
      [...args, "--cwd", options.workDir],
      {
        env: { ...process.env, ...engineEnv(options) },
        maxBuffer: 256 * 1024 * 1024,
        signal,
      },
      (error, out, err) => (error ? reject(classifyEngineError(new Error(`${what} failed: ${err || error.message}`))) : resolve(out)),
    );
  });
}
