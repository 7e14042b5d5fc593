import type { RunRecord, RunStart } from "../model/run-record";
import { JsonLines } from "./jsonl";

/**
 * Run history as every command sees it, wherever it lives (a file in this checkout, or a shared
 * blob backend): a start line before a run touches anything, its record when it ends.
 */
export interface RunHistory {
  /** Where it lives, for messages. */
  readonly where: string;
  append(line: RunRecord | RunStart): Promise<void>;
  /** All finished runs, oldest first. */
  read(filter?: { env?: string }): Promise<RunRecord[]>;
  /** The start lines, oldest first: with `read()`, what tells a killed run from a finished one. */
  starts(filter?: { env?: string }): Promise<RunStart[]>;
}

/** Run history in one JSON-lines file (file:// backends). */
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

/** A history file behind the asynchronous interface every command uses. */
export function fileHistory(store: HistoryStore): RunHistory & { readonly file: string } {
  return {
    where: store.file,
    file: store.file,
    append: async (line) => store.append(line),
    read: async (filter) => store.read(filter),
    starts: async (filter) => store.starts(filter),
  };
}
