import * as path from "node:path";
import type { MirrorEntry } from "../../components/chart-source";

/** Where `charts fill` takes archives from: a Helm repository folder (index.yaml + archives) or the charts' own repositories. */
export type FillSource = { readonly kind: "folder"; readonly dir: string } | { readonly kind: "upstream" };

export type FillStep =
  | { readonly kind: "present"; readonly entry: MirrorEntry }
  | { readonly kind: "copy"; readonly entry: MirrorEntry; readonly from: string; readonly to: string }
  | { readonly kind: "pull"; readonly entry: MirrorEntry; readonly args: readonly string[] }
  | { readonly kind: "missing"; readonly entry: MirrorEntry; readonly lookedFor: readonly string[] };

/** What filling the mirror takes, chart by chart. Pure given `exists`. */
export function planFill(entries: readonly MirrorEntry[], source: FillSource, mirrorDir: string, exists: (file: string) => boolean): FillStep[] {
  return entries.map((entry): FillStep => {
    if (entry.present) return { kind: "present", entry };
    if (source.kind === "upstream") return { kind: "pull", entry, args: helmPullArgs(entry, mirrorDir) };
    const names = archiveNames(entry);
    const found = names.map((name) => path.join(source.dir, name)).find(exists);
    return found ? { kind: "copy", entry, from: found, to: path.join(mirrorDir, path.basename(found)) } : { kind: "missing", entry, lookedFor: names };
  });
}

/** `helm pull` arguments that fetch one pinned chart into the mirror (OCI registries take the full reference). */
export function helmPullArgs(entry: MirrorEntry, mirrorDir: string): string[] {
  const reference = entry.repository.startsWith("oci://") ? [`${entry.repository}/${entry.chart}`] : [entry.chart, "--repo", entry.repository];
  return ["pull", ...reference, "--version", entry.version, "-d", mirrorDir];
}

function archiveNames(entry: MirrorEntry): string[] {
  const bare = entry.version.replace(/^v/, "");
  return [...new Set([`${entry.chart}-${entry.version}.tgz`, `${entry.chart}-${bare}.tgz`])];
}
