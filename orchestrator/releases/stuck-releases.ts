/** One revision of a Helm release, as the labels of its `sh.helm.release.v1.<name>.v<N>` Secret say. */
export interface ReleaseRevision {
  readonly name: string;
  readonly namespace: string;
  readonly version: number;
  /** Helm's status: deployed, superseded, failed, pending-install, pending-upgrade, pending-rollback, uninstalling, ... */
  readonly status: string;
}

/** The revision a release was left at, when it is stuck. */
export interface StuckRevision {
  readonly version: number;
  readonly status: string;
}

/** What a release needs before Helm (and so the engine) can work on it again. */
export type ReleaseVerdict =
  | { readonly kind: "healthy"; readonly release: string; readonly namespace: string; readonly version: number }
  /** The newest revision never finished, or failed, over one that had been deployed: go back to that one. */
  | { readonly kind: "rollback"; readonly release: string; readonly namespace: string; readonly stuck: StuckRevision; readonly to: number }
  /** No revision was ever deployed, or an uninstall stopped midway: uninstall, and let the stack's up install it again. */
  | { readonly kind: "reinstall"; readonly release: string; readonly namespace: string; readonly stuck: StuckRevision };

export type ReleaseRepair = Exclude<ReleaseVerdict, { kind: "healthy" }>;

// A revision that was deployed at some time: superseded ones were, until a newer one replaced them.
const ONCE_DEPLOYED = new Set(["deployed", "superseded"]);
// Nothing to roll back to: the release is being installed or removed, not changed.
const NOTHING_TO_KEEP = new Set(["pending-install", "uninstalling", "uninstalled"]);

/** Per release (name and namespace), from all its revisions: healthy, or how to repair it. Pure. */
export function releaseVerdicts(revisions: readonly ReleaseRevision[]): ReleaseVerdict[] {
  const byRelease = new Map<string, ReleaseRevision[]>();
  for (const revision of revisions) {
    const key = `${revision.namespace}/${revision.name}`;
    byRelease.set(key, [...(byRelease.get(key) ?? []), revision]);
  }
  return [...byRelease.values()].map((history) => verdictOf([...history].sort((a, b) => b.version - a.version)));
}

function verdictOf(newestFirst: readonly ReleaseRevision[]): ReleaseVerdict {
  const newest = newestFirst[0]!;
  const base = { release: newest.name, namespace: newest.namespace };
  if (newest.status === "deployed") return { kind: "healthy", ...base, version: newest.version };
  const stuck = { version: newest.version, status: newest.status };
  const good = NOTHING_TO_KEEP.has(newest.status) ? undefined : newestFirst.slice(1).find((revision) => ONCE_DEPLOYED.has(revision.status));
  return good ? { kind: "rollback", ...base, stuck, to: good.version } : { kind: "reinstall", ...base, stuck };
}

/** The releases that need a repair. Pure. */
export function releaseRepairs(revisions: readonly ReleaseRevision[]): ReleaseRepair[] {
  return releaseVerdicts(revisions).filter((verdict): verdict is ReleaseRepair => verdict.kind !== "healthy");
}

/** The run's note on one repair: the release, what was found, what was done and why. Pure. */
export function repairNote(repair: ReleaseRepair, operation: "up" | "destroy"): string {
  const found = `${repair.release}: revision ${repair.stuck.version} ${foundAs(repair.stuck.status)}`;
  if (repair.kind === "rollback") return `${found}; rolled back to revision ${repair.to} (last deployed)`;
  const why = NOTHING_TO_KEEP.has(repair.stuck.status) && repair.stuck.status !== "pending-install" ? "" : ", and no revision was ever deployed";
  const next = operation === "up" ? "this up installs it again" : "the destroy goes on without it";
  return `${found}${why}; uninstalled it (hooks skipped), ${next}`;
}

function foundAs(status: string): string {
  if (status.startsWith("pending-") || status === "uninstalling") return `left ${status} by an interrupted run`;
  return status === "failed" ? "failed" : `left ${status}`;
}
