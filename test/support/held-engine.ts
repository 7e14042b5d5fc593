import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RunningCommand } from "./temp-checkout";

const SCRIPT = path.join(__dirname, "held-pulumi.sh");

/**
 * An engine that stops a run at a known point: the run's `pulumi <command>` (up, destroy, ...) waits
 * at its start until the test opens it. A run that reached it holds its environment lock, whatever
 * the speed of the machine, so a second run can be started against it without a race.
 */
export interface HeldEngine {
  /** For the held run's environment (PLATFORM_PULUMI and the hold's settings). */
  readonly env: Record<string, string>;
  /** Resolves once `run` has reached the held command; rejects, with its output, if it ended first. */
  reached(run: RunningCommand): Promise<void>;
  /** Lets the held command (and every later one) go on. */
  open(): void;
  dispose(): void;
}

export function holdEngine(command: string): HeldEngine {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "held-pulumi-"));
  const reachedFile = path.join(dir, "reached");
  return {
    env: { PLATFORM_PULUMI: SCRIPT, HELD_PULUMI_COMMAND: command, HELD_PULUMI_DIR: dir, HELD_PULUMI_REAL: realPulumi() },
    async reached(run) {
      let ended: { code: number } | undefined;
      void run.done.then((result) => (ended = result));
      while (!fs.existsSync(reachedFile)) {
        if (ended) throw new Error(`the run ended (exit ${ended.code}) before it reached \`pulumi ${command}\`:\n${run.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    open: () => fs.writeFileSync(path.join(dir, "open"), ""),
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** The real pulumi on PATH (tests run under `source tools/env.sh`). */
function realPulumi(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi");
    if (dir && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error("pulumi is not on PATH; run `npm run setup`, then `source tools/env.sh`");
}
