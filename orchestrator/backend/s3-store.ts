import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException, type S3ClientConfig } from "@aws-sdk/client-s3";
import { PreflightError } from "../model/preflight-error";
import type { BlobStore, StoredBlob } from "./blob-store";

export interface S3Location {
  readonly bucket: string;
  readonly prefix: string;
  readonly config: S3ClientConfig;
}

/** `s3://<bucket>[/<prefix>][?region=&endpoint=&use_path_style=&disable_https=&profile=]`, as gocloud's s3blob reads it. */
export function s3Location(backendUrl: string, env: NodeJS.ProcessEnv = process.env): S3Location {
  const url = new URL(backendUrl);
  const known = new Set(["region", "endpoint", "use_path_style", "s3ForcePathStyle", "disable_https", "profile", "awssdk", "dualstack", "fips", "hostname_immutable", "rate_limiter_capacity", "anonymous", "role", "ssetype", "kmskeyid", "accelerate"]);
  for (const key of url.searchParams.keys()) {
    if (!known.has(key)) throw new PreflightError(`backend URL ${backendUrl}: unknown parameter "${key}"; s3:// takes ${[...known].join(", ")}`);
  }
  const param = (name: string) => url.searchParams.get(name) ?? undefined;
  let endpoint = param("endpoint");
  if (endpoint && !/^https?:\/\//.test(endpoint)) endpoint = `${param("disable_https") === "true" ? "http" : "https"}://${endpoint}`;
  const region = param("region") ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  // Keys given in this environment win; otherwise the SDK's own chain (profile, OIDC role, instance role).
  const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
    ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) }
    : undefined;
  return {
    bucket: url.hostname,
    prefix: url.pathname.replace(/^\/+|\/+$/g, ""),
    config: {
      ...(region ? { region } : {}),
      ...(credentials ? { credentials } : {}),
      ...(endpoint ? { endpoint } : {}),
      ...((param("use_path_style") ?? param("s3ForcePathStyle")) === "true" ? { forcePathStyle: true } : {}),
      ...(param("profile") ? { profile: param("profile") } : {}),
    },
  };
}

/** S3 with conditional writes (If-None-Match: * creates, If-Match replaces and deletes). */
export class S3Store implements BlobStore {
  readonly where: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(location: S3Location, keyPrefix: string) {
    this.client = new S3Client(location.config);
    // Expiry is judged by the server's clock (its Date header), never this machine's; keep it on each output.
    this.client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        const date = (result.response as { headers?: Record<string, string> }).headers?.date;
        if (date && result.output) (result.output as { serverDate?: string }).serverDate = date;
        return result;
      },
      { step: "deserialize", name: "platformServerDate" },
    );
    this.bucket = location.bucket;
    this.prefix = [location.prefix, keyPrefix].filter(Boolean).join("/");
    this.where = `s3://${this.bucket}/${this.prefix}`;
  }

  async read(key: string): Promise<StoredBlob | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}/${key}` }));
      const body = await response.Body!.transformToString("utf8");
      const serverNow = Date.parse((response as { serverDate?: string }).serverDate ?? "") || Date.now();
      return { body, etag: response.ETag!, ageMs: Math.max(0, serverNow - (response.LastModified?.getTime() ?? serverNow)) };
    } catch (error) {
      if (code(error) === 404) return undefined;
      throw error;
    }
  }

  create(key: string, body: string): Promise<string | undefined> {
    return this.put(key, body, { IfNoneMatch: "*" });
  }

  replace(key: string, body: string, etag: string): Promise<string | undefined> {
    return this.put(key, body, { IfMatch: etag });
  }

  private async put(key: string, body: string, conditions: { IfNoneMatch?: string; IfMatch?: string }): Promise<string | undefined> {
    try {
      const response = await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}/${key}`, Body: body, ContentType: "application/json", ...conditions }));
      return response.ETag;
    } catch (error) {
      // 412 PreconditionFailed, 409 ConditionalRequestConflict (a concurrent write), 404 (replaced after a delete).
      if ([404, 409, 412].includes(code(error) ?? 0)) return undefined;
      throw error;
    }
  }

  async remove(key: string, etag?: string): Promise<boolean> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: `${this.prefix}/${key}`, ...(etag ? { IfMatch: etag } : {}) }));
      return true;
    } catch (error) {
      if ([404, 412].includes(code(error) ?? 0)) return false;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const base = `${this.prefix}/`;
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${base}${prefix}`, ContinuationToken: token }));
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key.slice(base.length));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  }
}

function code(error: unknown): number | undefined {
  return error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
}
