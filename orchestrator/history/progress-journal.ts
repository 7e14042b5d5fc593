import * as fs from "node:fs";
import * as path from "node:path";
import type { ProgressEvent } from "../model/progress-event";
import type { RunStart } from "../model/run-record";

/** A run's progress journal being written: appends only, in order. */
export interface ProgressWriter {
  write(event: ProgressEvent): void;
  /** Waits until every event written so far is stored. */
  close(): Promise<void>;
}

/** A journal as read: its events, and how many lines did not parse (a torn last line of a killed run, a damaged line). */
export interface JournalRead {
  readonly events: readonly ProgressEvent[];
  readonly skipped: number;
}

/**
 * The progress journals of runs, one per run beside the run history (a file, or a blob). Their
 * listing is the index of recent runs: ids begin with the start time, so names sort by age.
 */
export interface ProgressJournals {
  readonly where: string;
  /** Opens the journal of a run and writes its start. */
  open(start: RunStart): Promise<ProgressWriter>;
  /** The environments that have journals. */
  environments(): Promise<string[]>;
  /** An environment's most recent run ids, newest first, from the listing alone. */
  recent(env: string, limit: number): Promise<string[]>;
  read(env: string, id: string): Promise<JournalRead>;
}

// Names come from the environment catalog and run ids; anything else (a request's path) never reaches the store.
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws unless `name` is safe as one path segment; journal keys are built from it. */
export function journalName(name: string): string {
  if (!SAFE_NAME.test(name) || name.includes("..")) throw new Error(`${JSON.stringify(name)} is not an environment name or run id`);
  return name;
}

/** Parses journal text line by line; a line that does not parse is skipped and counted. Pure. */
export function parseJournal(text: string): JournalRead {
  const events: ProgressEvent[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      const event = JSON.parse(line) as ProgressEvent;
      if (event && typeof event === "object" && typeof event.kind === "string") events.push(event);
      else skipped += 1;
    } catch {
      skipped += 1;
    }
  }
  return { events, skipped };
}

/** The newest `limit` run ids of a listing of journal names, newest first. Pure. */
export function newestIds(names: readonly string[], limit: number): string[] {
  return names
    .filter((name) => name.endsWith(".jsonl"))
    .map((name) => name.slice(0, -".jsonl".length))
    .sort()
    .reverse()
    .slice(0, limit);
}

/** Journals as files, `<dir>/<env>/<run id>.jsonl`, appended line by line (file:// backends). */
export function fileJournals(dir: string): ProgressJournals {
  const fileOf = (env: string, id: string) => path.join(dir, journalName(env), `${journalName(id)}.jsonl`);
  return {
    where: dir,
    async open(start) {
      const file = fileOf(start.env, start.id);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const write = (event: ProgressEvent) => fs.appendFileSync(file, `${JSON.stringify(event)}\n`, { mode: 0o600 });
      write({ kind: "start", at: start.startedAt, run: start });
      return { write, close: async () => {} };
    },
    async environments() {
      if (!fs.existsSync(dir)) return [];
      return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory() && SAFE_NAME.test(entry.name)).map((entry) => entry.name);
    },
    async recent(env, limit) {
      const envDir = path.join(dir, journalName(env));
      return fs.existsSync(envDir) ? newestIds(fs.readdirSync(envDir), limit) : [];
    },
    async read(env, id) {
      const file = fileOf(env, id);
      return fs.existsSync(file) ? parseJournal(fs.readFileSync(file, "utf8")) : { events: [], skipped: 0 };
    },
  };
}
