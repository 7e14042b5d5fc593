import type { RunRecord, RunStart } from "../results";
import { JsonLines } from "./jsonl";

/** Run history: a start line before a run touches anything, its record when it ends. */
export class HistoryStore extends JsonLines<RunRecord | RunStart> {
  /** All finished runs, oldest first. */
  read(filter: { env?: string } = {}): RunRecord[] {
    return this.lines(filter).filter((line): line is RunRecord => !("kind" in line));
  }

  /** The start lines, oldest first: with `read()`, what tells a killed run from a finished one. */
  starts(filter: { env?: string } = {}): RunStart[] {
    return this.lines(filter).filter((line): line is RunStart => "kind" in line && line.kind === "start");
  }

  private lines(filter: { env?: string }): Array<RunRecord | RunStart> {
    const lines = this.readAll();
    return filter.env ? lines.filter((line) => line.env === filter.env) : lines;
  }
}
