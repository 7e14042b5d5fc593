/** A container image reference split the way registries and scanners read it. */
export interface ImageRef {
  /** As written in the manifest. */
  readonly reference: string;
  /** Registry host; docker.io when the reference names none. */
  readonly registry: string;
  /** Path in the registry, e.g. "library/nginx" or "metrics-server/metrics-server". */
  readonly repository: string;
  readonly tag?: string;
  /** "sha256:..." when pinned by digest. */
  readonly digest?: string;
}

/** Parses `[registry/]path[:tag][@digest]` with Docker's defaults (docker.io, library/, latest). Pure. */
export function parseImageRef(reference: string): ImageRef {
  const [withoutDigest, digest] = reference.split("@", 2) as [string, string | undefined];
  const lastSlash = withoutDigest.lastIndexOf("/");
  const colon = withoutDigest.lastIndexOf(":");
  const hasTag = colon > lastSlash;
  const name = hasTag ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = hasTag ? withoutDigest.slice(colon + 1) : digest ? undefined : "latest";
  const first = name.split("/")[0]!;
  const explicitRegistry = name.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  const registry = explicitRegistry ? first : "docker.io";
  let repository = explicitRegistry ? name.slice(first.length + 1) : name;
  if (registry === "docker.io" && !repository.includes("/")) repository = `library/${repository}`;
  return { reference, registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
