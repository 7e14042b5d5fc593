import type { EnvironmentHolds, Hold } from "../model/hold";
import type { BlobStore } from "./blob-store";

/** Holds in the shared backend (`holds/<env>.json`), so every machine refuses a promotion into a held environment. */
export function blobHolds(store: BlobStore): EnvironmentHolds {
  const key = (env: string) => `holds/${env}.json`;
  const read = async (env: string): Promise<Hold | undefined> => {
    const blob = await store.read(key(env));
    return blob ? (JSON.parse(blob.body) as Hold) : undefined;
  };
  return {
    where: `${store.where}/holds`,
    read,
    place: async (hold) => {
      const body = JSON.stringify(hold);
      if (await store.create(key(hold.env), body)) return;
      const current = await store.read(key(hold.env));
      // A hold already there stays a hold: the newer reason replaces it when nobody wrote in between.
      if (current) await store.replace(key(hold.env), body, current.etag);
    },
    release: async (env) => {
      const hold = await read(env);
      if (hold) await store.remove(key(env));
      return hold;
    },
  };
}
