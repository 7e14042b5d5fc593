import * as fs from "node:fs";
import * as path from "node:path";
import type { RunRecord } from "../results";

/**
 * Run history as JSON lines, one run per line, appended when the run ends. Appends of one line
 * are atomic enough for a single writer per environment (the run lock ensures that).
 */
export class HistoryStore {
  constructor(readonly file: string) {}

  append(record: RunRecord): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** All runs, oldest first; a torn last line (a killed writer) is ignored, not fatal. */
  read(filter: { env?: string } = {}): RunRecord[] {
    if (!fs.existsSync(this.file)) return [];
    const records: RunRecord[] = [];
    for (const line of fs.readFileSync(this.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        const record = JSON.parse(line) as RunRecord;
        if (!filter.env || record.env === filter.env) records.push(record);
      } catch {
        continue;
      }
    }
    return records;
  }
}
