import type { RunRecord } from "../results";
import { JsonLines } from "./jsonl";

/** Run history: one run per line, appended when the run ends. */
export class HistoryStore extends JsonLines<RunRecord> {
  /** All runs, oldest first, optionally of one environment. */
  read(filter: { env?: string } = {}): RunRecord[] {
    const records = this.readAll();
    return filter.env ? records.filter((record) => record.env === filter.env) : records;
  }
}
