/** One installed npm package as package-lock.json (v3) records it. */
export interface NpmPackage {
  readonly name: string;
  readonly version: string;
  readonly dev: boolean;
  readonly license?: string;
  /** Subresource-integrity string, e.g. "sha512-...". */
  readonly integrity?: string;
  readonly resolved?: string;
}

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly dev?: boolean;
  readonly license?: string;
  readonly integrity?: string;
  readonly resolved?: string;
  readonly link?: boolean;
}

/** Every package the lockfile installs (the root project and links left out), one per name and version. Pure. */
export function npmPackages(lock: { readonly packages?: Readonly<Record<string, LockEntry>> }): NpmPackage[] {
  const seen = new Map<string, NpmPackage>();
  for (const [location, entry] of Object.entries(lock.packages ?? {})) {
    if (location === "" || entry.link || !entry.version) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf("node_modules/") + "node_modules/".length);
    const key = `${name}@${entry.version}`;
    const existing = seen.get(key);
    // A package installed for both runtime and development is a runtime dependency.
    if (existing && !existing.dev) continue;
    seen.set(key, {
      name,
      version: entry.version,
      dev: Boolean(entry.dev),
      ...(entry.license ? { license: entry.license } : {}),
      ...(entry.integrity ? { integrity: entry.integrity } : {}),
      ...(entry.resolved ? { resolved: entry.resolved } : {}),
    });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}
