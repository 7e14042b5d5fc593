import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Records as JSON lines, one per line, appended (0600). Appends of one line are atomic enough for
 * a single writer per environment (the run lock ensures that).
 */
export class JsonLines<T> {
  constructor(readonly file: string) {}

  append(record: T): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.appendFileSync(this.file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  }

  /** All records, oldest first; a torn line (a killed writer) is ignored, not fatal. */
  readAll(): T[] {
    if (!fs.existsSync(this.file)) return [];
    const records: T[] = [];
    for (const line of fs.readFileSync(this.file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      try {
        records.push(JSON.parse(line) as T);
      } catch {
        continue;
      }
    }
    return records;
  }
}
