import { BlobServiceClient, RestError, StorageSharedKeyCredential, type ContainerClient } from "@azure/storage-blob";
import { PreflightError } from "../model/preflight-error";
import type { BlobStore, StoredBlob } from "./blob-store";

/** Where an `azblob://` backend URL points, read the way Pulumi's DIY backend (gocloud's azureblob) reads it. */
export interface AzureLocation {
  readonly serviceUrl: string;
  readonly container: string;
  readonly prefix: string;
}

const AZBLOB_PARAMS = new Set(["domain", "protocol", "localemu", "storage_account", "cdn"]);

/**
 * `azblob://<container>[/<prefix>][?domain=&protocol=&localemu=&storage_account=]`, with
 * AZURE_STORAGE_ACCOUNT and friends from the environment, as gocloud does: an emulator such as
 * Azurite is `?domain=127.0.0.1:10000&protocol=http&localemu=true`.
 */
export function azureLocation(backendUrl: string, env: NodeJS.ProcessEnv = process.env): AzureLocation {
  const url = new URL(backendUrl);
  for (const key of url.searchParams.keys()) {
    if (!AZBLOB_PARAMS.has(key)) throw new PreflightError(`backend URL ${backendUrl}: unknown parameter "${key}"; azblob:// takes ${[...AZBLOB_PARAMS].join(", ")}`);
  }
  const account = url.searchParams.get("storage_account") ?? env.AZURE_STORAGE_ACCOUNT;
  if (!account) throw new PreflightError(`backend URL ${backendUrl}: no storage account; set AZURE_STORAGE_ACCOUNT or add ?storage_account=<name>`);
  const domain = url.searchParams.get("domain") ?? env.AZURE_STORAGE_DOMAIN ?? "blob.core.windows.net";
  const protocol = url.searchParams.get("protocol") ?? env.AZURE_STORAGE_PROTOCOL ?? "https";
  const emulator = (url.searchParams.get("localemu") ?? env.AZURE_STORAGE_IS_LOCAL_EMULATOR) === "true" || /^(127\.0\.0\.1|localhost)/.test(domain);
  const serviceUrl = emulator ? `${protocol}://${domain}/${account}` : `${protocol}://${account}.${domain}`;
  return { serviceUrl, container: url.hostname, prefix: url.pathname.replace(/^\/+|\/+$/g, "") };
}

function containerClient(location: AzureLocation, env: NodeJS.ProcessEnv): ContainerClient {
  const connection = env.AZURE_STORAGE_CONNECTION_STRING ?? env.AZURE_STORAGEBLOB_CONNECTIONSTRING;
  const account = location.serviceUrl.split("/").pop()!.split(".")[0]!;
  if (env.AZURE_STORAGE_KEY) {
    const credential = new StorageSharedKeyCredential(env.AZURE_STORAGE_ACCOUNT ?? account, env.AZURE_STORAGE_KEY);
    return new BlobServiceClient(location.serviceUrl, credential).getContainerClient(location.container);
  }
  if (env.AZURE_STORAGE_SAS_TOKEN) return new BlobServiceClient(`${location.serviceUrl}?${env.AZURE_STORAGE_SAS_TOKEN.replace(/^\?/, "")}`).getContainerClient(location.container);
  if (connection) return BlobServiceClient.fromConnectionString(connection).getContainerClient(location.container);
  throw new PreflightError(
    `the azblob:// backend needs storage credentials for the run lock and history: set AZURE_STORAGE_KEY (with AZURE_STORAGE_ACCOUNT), AZURE_STORAGE_SAS_TOKEN or AZURE_STORAGE_CONNECTION_STRING`,
  );
}

/** Azure Blob Storage (or Azurite) with ETag preconditions: If-None-Match: * creates, If-Match replaces. */
export class AzureBlobStore implements BlobStore {
  readonly where: string;
  private readonly client: ContainerClient;
  private readonly prefix: string;

  constructor(location: AzureLocation, keyPrefix: string, env: NodeJS.ProcessEnv = process.env) {
    this.client = containerClient(location, env);
    this.prefix = [location.prefix, keyPrefix].filter(Boolean).join("/");
    this.where = `azblob://${location.container}/${this.prefix}`;
  }

  private blob(key: string) {
    return this.client.getBlockBlobClient(`${this.prefix}/${key}`);
  }

  async read(key: string): Promise<StoredBlob | undefined> {
    try {
      // One request, so the body, ETag and times belong to the same version.
      const response = await this.blob(key).download();
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody!) chunks.push(Buffer.from(chunk as Buffer));
      if (!response.etag) throw new Error(`${this.where}/${key}: the store returned no ETag`);
      const now = response.date?.getTime() ?? Date.now();
      return { body: Buffer.concat(chunks).toString("utf8"), etag: response.etag, ageMs: Math.max(0, now - (response.lastModified?.getTime() ?? now)) };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw error;
    }
  }

  async create(key: string, body: string): Promise<string | undefined> {
    return this.put(key, body, { ifNoneMatch: "*" });
  }

  async replace(key: string, body: string, etag: string): Promise<string | undefined> {
    return this.put(key, body, { ifMatch: etag });
  }

  private async put(key: string, body: string, conditions: { ifNoneMatch?: string; ifMatch?: string }): Promise<string | undefined> {
    try {
      const result = await this.blob(key).upload(body, Buffer.byteLength(body), { conditions, blobHTTPHeaders: { blobContentType: "application/json" } });
      return result.etag;
    } catch (error) {
      // 409 BlobAlreadyExists / 412 ConditionNotMet: someone else wrote first. 404: replaced after a delete.
      if ([404, 409, 412].includes(status(error) ?? 0)) return undefined;
      throw error;
    }
  }

  async remove(key: string, etag?: string): Promise<boolean> {
    try {
      await this.blob(key).delete(etag ? { conditions: { ifMatch: etag } } : {});
      return true;
    } catch (error) {
      if ([404, 412].includes(status(error) ?? 0)) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const base = `${this.prefix}/`;
    for await (const item of this.client.listBlobsFlat({ prefix: `${base}${prefix}` })) keys.push(item.name.slice(base.length));
    return keys;
  }
}

function status(error: unknown): number | undefined {
  return error instanceof RestError ? error.statusCode : undefined;
}
