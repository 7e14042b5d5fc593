import type { RunRecord } from "../../model/run-record";

/** What the CLI's exit status means; documented in the README. */
export const EXIT = {
  ok: 0,
  /** One or more stacks failed (or an unexpected error). */
  failed: 1,
  /** drift: drift was found. */
  drift: 2,
  /** Bad input: flags, environment files, stack config files, chart values, planning, capacity, policy packs, missing secrets or charts, a passphrase that does not open the stacks' secrets, backend settings, no engine on PATH. Nothing was touched. */
  invalid: 3,
  /** Another run holds the environment's lock. */
  locked: 4,
  /** A gate refused the run (promotion gate or approval, change window, hold, budget); the target was not changed (or was rolled back). */
  refused: 5,
  /** Interrupted (Ctrl-C); stacks that had not started were left alone. */
  interrupted: 130,
} as const;

export function exitCodeOfRun(record: RunRecord): number {
  return record.status === "succeeded" ? EXIT.ok : record.status === "cancelled" ? EXIT.interrupted : EXIT.failed;
}

/** The exit codes as the program's and each engine operation's help lists them. */
export const EXIT_CODES_HELP = `
Exit codes:
  0    success (drift: no drift)
  1    one or more stacks failed, or an unexpected error
  2    drift found (drift only)
  3    invalid input: flags, environment files, stack config, chart values, plan, capacity, policy packs, missing secrets or charts, wrong passphrase, backend settings; nothing touched
  4    the environment is locked by another run
  5    refused by a gate: promotion gate, approval missing, change window, hold or budget; nothing changed
  130  interrupted
`;
