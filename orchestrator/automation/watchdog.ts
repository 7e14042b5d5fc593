import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SCRIPT = path.join(__dirname, "pulumi-watchdog.sh");

/** The real pulumi on PATH, which the watchdog runs. */
function realPulumi(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi");
    if (dir && fs.existsSync(candidate) && fs.realpathSync(candidate) !== fs.realpathSync(SCRIPT)) return candidate;
  }
  throw new Error("pulumi is not on PATH; run `npm run setup`, then `source tools/env.sh`");
}

/**
 * A directory whose bin/pulumi is the watchdog, in this run's temp directory. The Automation API
 * takes a CLI by its root directory, so the watchdog stands in for pulumi there.
 */
export function watchedPulumiRoot(): string {
  const root = path.join(os.tmpdir(), "pulumi-watchdog");
  const link = path.join(root, "bin", "pulumi");
  if (!fs.existsSync(link)) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(SCRIPT, link);
  }
  return root;
}

export function watchdogEnv(): Record<string, string> {
  return { PLATFORM_PULUMI: process.env.PLATFORM_PULUMI ?? realPulumi() };
}
