import { EXIT } from "../output/exit-codes";

/**
 * Ctrl-C and SIGTERM for the whole CLI. A command that can stop cleanly asks for `stopping()`:
 * the first signal aborts it and the second quits at once. Any other command quits on the first,
 * through process.exit, so exit handlers (the private temp directory's removal) still run.
 */
export interface Interrupts {
  /** Marks the running command as one that stops cleanly; its signal aborts on the first interrupt. */
  stopping(message: string): AbortSignal;
}

export function interruptHandling(): Interrupts {
  const controller = new AbortController();
  let graceful: string | undefined;
  const interrupt = () => {
    if (graceful === undefined || controller.signal.aborted) process.exit(EXIT.interrupted);
    process.stderr.write(`\ninterrupted: ${graceful} (Ctrl-C again to quit now)\n`);
    controller.abort();
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
