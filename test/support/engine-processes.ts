import * as fs from "node:fs";
import type { TempCheckout } from "./temp-checkout";

/** Live processes started for the checkout's runs (they carry a run's private TMPDIR under it): watchdogs, pulumi, plugins. */
export function engineProcessesOf(checkout: TempCheckout): number[] {
  const marker = `TMPDIR=${checkout.env.TMPDIR}/platform-run-`;
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/environ`, "latin1").split("\0").some((entry) => entry.startsWith(marker));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A process's command line, for messages ("" once it is gone). */
export function commandOf(pid: number): string {
  try {
    return `${pid} ${fs.readFileSync(`/proc/${pid}/cmdline`, "latin1").split("\0").join(" ").trim()}`;
  } catch {
    return "";
  }
}
