import pLimit from "p-limit";
import type { RunRecord } from "../results";
import type { BlobStore } from "./blob-store";
import type { RunHistory } from "./stores";

/**
 * Run history in the shared backend: one object per run (`history/<env>/<id>.json`), so runs
 * from many machines never write the same key and need no lock between them.
 */
export class BlobHistory implements RunHistory {
  constructor(private readonly store: BlobStore) {}

  get where(): string {
    return `${this.store.where}/history`;
  }

  async append(record: RunRecord): Promise<void> {
    if (!(await this.store.create(`history/${record.env}/${record.id}.json`, JSON.stringify(record)))) {
      throw new Error(`${this.where}/${record.env}/${record.id}.json already exists; run ids are unique, so another writer is misbehaving`);
    }
  }

  /** All runs, oldest first. */
  async read(filter: { env?: string } = {}): Promise<RunRecord[]> {
    const keys = await this.store.list(filter.env ? `history/${filter.env}/` : "history/");
    const limit = pLimit(8);
    const records = await Promise.all(keys.map((key) => limit(async () => parseRecord((await this.store.read(key))?.body))));
    return records.filter((r): r is RunRecord => r !== undefined).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id));
  }
}

function parseRecord(body: string | undefined): RunRecord | undefined {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as RunRecord;
  } catch {
    return undefined;
  }
}
