import type { BlobStore, StoredBlob } from "../../orchestrator/backend/blob-store";

/** A BlobStore in memory with a clock the test moves, for lock and history logic without a server. */
export class MemoryBlobStore implements BlobStore {
  readonly where = "memory://test";
  now = 0;
  private readonly blobs = new Map<string, { body: string; etag: string; writtenAt: number }>();
  private version = 0;

  async read(key: string): Promise<StoredBlob | undefined> {
    const blob = this.blobs.get(key);
    return blob && { body: blob.body, etag: blob.etag, ageMs: this.now - blob.writtenAt };
  }
  async create(key: string, body: string): Promise<string | undefined> {
    return this.blobs.has(key) ? undefined : this.write(key, body);
  }
  async replace(key: string, body: string, etag: string): Promise<string | undefined> {
    return this.blobs.get(key)?.etag === etag ? this.write(key, body) : undefined;
  }
  async remove(key: string, etag?: string): Promise<boolean> {
    const blob = this.blobs.get(key);
    if (!blob || (etag && blob.etag !== etag)) return false;
    return this.blobs.delete(key);
  }
  async list(prefix: string): Promise<string[]> {
    return [...this.blobs.keys()].filter((key) => key.startsWith(prefix)).sort();
  }
  private write(key: string, body: string): string {
    const etag = `"${++this.version}"`;
    this.blobs.set(key, { body, etag, writtenAt: this.now });
    return etag;
  }
}
