import { journalName, newestIds, parseJournal, type ProgressJournals, type ProgressWriter } from "../history/progress-journal";
import type { ProgressEvent } from "../model/progress-event";
import type { BlobStore } from "./blob-store";

const PREFIX = "progress/";

/**
 * Progress journals in the shared backend, one blob per run (`progress/<env>/<id>.jsonl`). A blob
 * cannot be appended to, so the one writer (the run, under its lock) replaces it with the longer
 * text; writes queue one behind another and events written meanwhile go in the next one.
 */
export function blobJournals(store: BlobStore): ProgressJournals {
  const keyOf = (env: string, id: string) => `${PREFIX}${journalName(env)}/${journalName(id)}.jsonl`;
  return {
    where: `${store.where}/${PREFIX.slice(0, -1)}`,
    async open(start) {
      const writer = blobWriter(store, keyOf(start.env, start.id));
      writer.write({ kind: "start", at: start.startedAt, run: start });
      await writer.flushed();
      return writer;
    },
    async environments() {
      const keys = await store.list(PREFIX);
      return [...new Set(keys.map((key) => key.slice(PREFIX.length).split("/")[0]!))].filter((env) => env.length > 0);
    },
    async recent(env, limit) {
      const prefix = `${PREFIX}${journalName(env)}/`;
      return newestIds((await store.list(prefix)).map((key) => key.slice(prefix.length)), limit);
    },
    async read(env, id) {
      const blob = await store.read(keyOf(env, id));
      return blob ? parseJournal(blob.body) : { events: [], skipped: 0 };
    },
  };
}

function blobWriter(store: BlobStore, key: string): ProgressWriter & { flushed(): Promise<void> } {
  let text = "";
  let etag: string | undefined;
  let stored = 0;
  let chain: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  const save = async () => {
    if (stored === text.length || failure) return;
    const body = text;
    const next = etag === undefined ? await store.create(key, body) : await store.replace(key, body, etag);
    if (next === undefined) {
      failure = new Error(`${store.where}/${key} changed under its run; its progress journal stops here`);
      return;
    }
    etag = next;
    stored = body.length;
  };
  const flushed = () => chain;
  return {
    write(event: ProgressEvent) {
      text += `${JSON.stringify(event)}\n`;
      chain = chain.then(save, save);
    },
    flushed,
    async close() {
      await flushed();
      if (failure) throw failure;
    },
  };
}
