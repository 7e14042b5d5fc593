import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutRoot } from "../../environments/checkout-root";
import { PreflightError } from "../model/preflight-error";

// The checkout's script, also from the compiled tree: one link target whichever tree runs.
const SCRIPT = path.join(checkoutRoot(), "orchestrator", "automation", "pulumi-watchdog.sh");

/** The real pulumi on PATH, which the watchdog runs. */
function realPulumi(): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "pulumi");
    if (dir && fs.existsSync(candidate) && fs.realpathSync(candidate) !== fs.realpathSync(SCRIPT)) return candidate;
  }
  // Found before the first engine call, and nothing is touched: bad setup like bad input (exit 3).
  throw new PreflightError("pulumi is not on PATH; run `npm run setup`, then `source tools/env.sh`");
}

/**
 * A directory whose bin/pulumi is the watchdog, in this run's temp directory. The Automation API
 * takes a CLI by its root directory, so the watchdog stands in for pulumi there.
 */
export function watchedPulumiRoot(): string {
  // The Automation API runs its version check with the process environment only.
  process.env.PLATFORM_PULUMI ??= realPulumi();
  const root = path.join(os.tmpdir(), "pulumi-watchdog");
  const link = path.join(root, "bin", "pulumi");
  // A link left by another checkout (or one since removed) would run its watchdog, or none: point it at ours.
  if (linkTarget(link) !== SCRIPT) {
    fs.mkdirSync(path.dirname(link), { recursive: true });
    const fresh = `${link}.${process.pid}`;
    fs.rmSync(fresh, { force: true });
    fs.symlinkSync(SCRIPT, fresh);
    fs.renameSync(fresh, link);
  }
  return root;
}

function linkTarget(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

export function watchdogEnv(): Record<string, string> {
  process.env.PLATFORM_PULUMI ??= realPulumi();
  return { PLATFORM_PULUMI: process.env.PLATFORM_PULUMI };
}
