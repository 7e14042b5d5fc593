import type { RunReporter } from "../../run/progress";
import { progressDisplay } from "./progress";
import { renderRunSummary } from "./report";

/**
 * How a command shows its runs: lines on stdout (stderr under --json, where stdout carries the
 * document), a live table on a terminal or one line per change in CI, and a summary per run
 * unless the command prints its own.
 */
export function terminalReporter(options: { json: boolean; summaries: boolean }): RunReporter {
  const say = (line: string) => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  return {
    say,
    openProgress: () => progressDisplay(process.stdout, { json: options.json, ci: process.env.CI === "true" }),
    finished: (record) => {
      if (options.summaries) say(renderRunSummary(record));
    },
  };
}
