import * as fs from "node:fs";
import * as path from "node:path";
import type { BlobStore } from "./blob-store";

/**
 * Copies a directory's files (a promotion checkpoint: config and exported state, secrets as
 * ciphertext) into the shared backend under `prefix`, so another machine can restore from it.
 */
export async function publishDirectory(store: BlobStore, dir: string, prefix: string): Promise<string> {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const key = `${prefix}/${name}`;
    const body = fs.readFileSync(file, "utf8");
    const existing = await store.read(key);
    const written = existing ? await store.replace(key, body, existing.etag) : await store.create(key, body);
    if (!written) throw new Error(`${store.where}/${key} changed while this promotion wrote it; another run touched the same checkpoint`);
  }
  return `${store.where}/${prefix}`;
}
