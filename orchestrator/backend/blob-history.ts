import pLimit from "p-limit";
import type { RunHistory } from "../history/store";
import type { RunRecord, RunStart } from "../model/run-record";
import type { BlobStore } from "./blob-store";

const START = ".start.json";

/**
 * Run history in the shared backend: one object per run (`history/<env>/<id>.json`) and one per
 * start line (`history/<env>/<id>.start.json`), so runs from many machines never write the same
 * key and need no lock between them.
 */
export class BlobHistory implements RunHistory {
  constructor(private readonly store: BlobStore) {}

  get where(): string {
    return `${this.store.where}/history`;
  }

  async append(line: RunRecord | RunStart): Promise<void> {
    const key = `history/${line.env}/${line.id}${"kind" in line ? START : ".json"}`;
    if (!(await this.store.create(key, JSON.stringify(line)))) {
      throw new Error(`${this.store.where}/${key} already exists; run ids are unique, so another writer is misbehaving`);
    }
  }

  /** All finished runs, oldest first. */
  async read(filter: { env?: string } = {}): Promise<RunRecord[]> {
    return (await this.lines(filter, (key) => !key.endsWith(START))).filter((line): line is RunRecord => !("kind" in line));
  }

  /** The start lines, oldest first. */
  async starts(filter: { env?: string } = {}): Promise<RunStart[]> {
    return (await this.lines(filter, (key) => key.endsWith(START))).filter((line): line is RunStart => "kind" in line && line.kind === "start");
  }

  private async lines(filter: { env?: string }, wanted: (key: string) => boolean): Promise<Array<RunRecord | RunStart>> {
    const keys = (await this.store.list(filter.env ? `history/${filter.env}/` : "history/")).filter(wanted);
    const limit = pLimit(8);
    const lines = await Promise.all(keys.map((key) => limit(async () => parseLine((await this.store.read(key))?.body))));
    return lines.filter((line) => line !== undefined).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  }
}

function parseLine(body: string | undefined): RunRecord | RunStart | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as RunRecord | RunStart;
  } catch {
    return undefined;
  }
}
