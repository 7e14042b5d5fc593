import * as fs from "node:fs";
import * as path from "node:path";
import type { RunRecord, RunStart } from "../results";

/**
 * Run history as JSON lines: a start line before a run touches anything, its record when it ends.
 * Appends of one line are atomic enough for a single writer per environment (the run lock ensures that).
 */
export class HistoryStore {
  constructor(readonly file: string) {}

  append(record: RunRecord | RunStart): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** All finished runs, oldest first. */
  read(filter: { env?: string } = {}): RunRecord[] {
    return this.lines(filter).filter((line): line is RunRecord => !("kind" in line));
  }

  /** The start lines, oldest first: with `read()`, what tells a killed run from a finished one. */
  starts(filter: { env?: string } = {}): RunStart[] {
    return this.lines(filter).filter((line): line is RunStart => "kind" in line && line.kind === "start");
  }

  /** A torn last line (a killed writer) is ignored, not fatal. */
  private lines(filter: { env?: string }): Array<RunRecord | RunStart> {
    if (!fs.existsSync(this.file)) return [];
    const lines: Array<RunRecord | RunStart> = [];
    for (const text of fs.readFileSync(this.file, "utf8").split("\n")) {
      if (!text.trim()) continue;
      try {
        const line = JSON.parse(text) as RunRecord | RunStart;
        if (!filter.env || line.env === filter.env) lines.push(line);
      } catch {
        continue;
      }
    }
    return lines;
  }
}
