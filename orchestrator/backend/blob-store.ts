/** One stored object as read: its body, a version tag for conditional writes, and its age by the store's clock. */
export interface StoredBlob {
  readonly body: string;
  readonly etag: string;
  /** Milliseconds since the last write, measured by the store's own clock so machines' clocks never matter. */
  readonly ageMs: number;
}

/**
 * The little a shared backend must offer for locks and history: reads, creates that fail when the
 * key exists, and replaces and deletes that fail when someone wrote in between.
 */
export interface BlobStore {
  /** Where keys live, for messages (`azblob://state/.platform`). */
  readonly where: string;
  read(key: string): Promise<StoredBlob | undefined>;
  /** Writes only when the key is absent; returns the new etag, or undefined when it exists. */
  create(key: string, body: string): Promise<string | undefined>;
  /** Writes only when the stored etag still matches; returns the new etag, or undefined when it changed. */
  replace(key: string, body: string, etag: string): Promise<string | undefined>;
  /** Deletes; with an etag, only when it still matches. True when something was deleted. */
  remove(key: string, etag?: string): Promise<boolean>;
  /** Keys under a prefix. */
  list(prefix: string): Promise<string[]>;
}
