import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { sleep } from "../../tools/cluster/processes";

/**
 * Starts a test server in its own process group with its output in `logFile`; `stop` ends the
 * group (TERM, then KILL after 5 s) and removes `dir`, and is safe to call twice.
 */
export function startEmulatorProcess(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; logFile: string; dir: string }): { stop(): Promise<void> } {
  const log = fs.openSync(options.logFile, "a");
  const child = spawn(command, [...args], { cwd: options.cwd, detached: true, stdio: ["ignore", log, log], env: options.env ?? process.env });
  fs.closeSync(log);
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    async stop() {
      if (running() && child.pid) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // already gone
        }
        for (let i = 0; i < 50 && running(); i++) await sleep(100);
        if (running()) process.kill(-child.pid, "SIGKILL");
      }
      fs.rmSync(options.dir, { recursive: true, force: true });
    },
  };
}
