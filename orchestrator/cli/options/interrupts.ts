import { EXIT } from "../output/exit-codes";

/**
 * How a run stops on Ctrl-C or SIGTERM: its engines are asked to cancel at once; those still running
 * after `engineGraceMs` are killed; the CLI exits 130 by `exitByMs` at the latest, whatever is
 * left to record. Both stay under the 7.5 s CI runners give between SIGTERM and SIGKILL.
 */
export const GRACEFUL_STOP = { engineGraceMs: 5000, exitByMs: 6500 } as const;

/**
 * Ctrl-C and SIGTERM for the whole CLI. A command that can stop cleanly asks for `stopping()`:
 * the first signal aborts it and the second quits at once. Any other command quits on the first,
 * through process.exit, so exit handlers (the private temp directory's removal, the lock's) still run.
 */
export interface Interrupts {
  /** Marks the running command as one that stops cleanly; its signal aborts on the first interrupt. */
  stopping(message: string): AbortSignal;
}

export interface InterruptOptions {
  /** Ends the engine processes of this run that are still running once the grace is over. */
  readonly endEngines?: () => void;
  readonly bounds?: { readonly engineGraceMs: number; readonly exitByMs: number };
}

export function interruptHandling(options: InterruptOptions = {}): Interrupts {
  const bounds = options.bounds ?? GRACEFUL_STOP;
  const controller = new AbortController();
  let graceful: string | undefined;
  const interrupt = () => {
    if (graceful === undefined || controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\ninterrupted: ${graceful}; engines still running in ${bounds.engineGraceMs / 1000} s are killed (Ctrl-C again to quit now)\n`);
    controller.abort();
    setTimeout(() => options.endEngines?.(), bounds.engineGraceMs).unref();
    setTimeout(() => {
      process.stderr.write(`interrupted: the run did not finish recording within ${bounds.exitByMs / 1000} s; quitting (the next run refreshes its stacks)\n`);
      options.endEngines?.();
      process.exit(EXIT.interrupted);
    }, bounds.exitByMs).unref();
  };
  process.on("SIGINT", interrupt);
  process.on("SIGTERM", interrupt);
  return {
    stopping(message) {
      graceful = message;
      return controller.signal;
    },
  };
}
