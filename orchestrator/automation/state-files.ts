import * as fs from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import type { StackSummary } from "@pulumi/pulumi/automation";
import type { GoodStateCopy, UnreadableState } from "../model/unreadable-state";

/** A file:// backend's folder of records (`<dir>/.pulumi`) for one project. */
export interface StateFolder {
  readonly dir: string;
  readonly project: string;
}

interface Checkpoint {
  readonly version: number;
  readonly checkpoint: { readonly latest?: { readonly manifest?: { readonly time?: string }; readonly resources?: readonly unknown[] } | null };
}

type Parsed = { readonly ok: true; readonly checkpoint: Checkpoint } | { readonly ok: false; readonly problem: string };

/** The stack's state file, plain or gzipped; undefined when the stack has none. */
export function stateFileOf(folder: StateFolder, stack: string): string | undefined {
  const base = path.join(folder.dir, "stacks", folder.project, `${stack}.json`);
  return [base, `${base}.gz`].find((candidate) => fs.existsSync(candidate));
}

/** A checkpoint file as the engine writes it (`{version, checkpoint}`), or why it is not one. */
export function parseCheckpointFile(file: string): Parsed {
  try {
    const raw = fs.readFileSync(file);
    const text = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
    const parsed = JSON.parse(text) as Partial<Checkpoint> | null;
    if (typeof parsed !== "object" || parsed === null || typeof parsed.version !== "number" || typeof parsed.checkpoint !== "object" || parsed.checkpoint === null) {
      return { ok: false, problem: "not a checkpoint: expected an object with version and checkpoint" };
    }
    return { ok: true, checkpoint: parsed as Checkpoint };
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
}

/** The stacks among `stacks` whose state file exists and does not parse, each with its good copies, newest first. */
export function unreadableStateFiles(folder: StateFolder, stacks: readonly string[]): Omit<UnreadableState, "restore">[] {
  return stacks.flatMap((stack) => {
    const file = stateFileOf(folder, stack);
    if (!file) return [];
    const parsed = parseCheckpointFile(file);
    return parsed.ok ? [] : [{ stack, file, problem: parsed.problem, goodCopies: goodCopies(folder, stack, file) }];
  });
}

/** The engine's backups, the `.bak` beside the state file, and the update history's checkpoints that parse, newest first. */
function goodCopies(folder: StateFolder, stack: string, file: string): GoodStateCopy[] {
  const inDir = (dir: string, keep: (name: string) => boolean) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter(keep).map((name) => path.join(dir, name)) : []);
  const candidates: { file: string; kind: GoodStateCopy["kind"] }[] = [
    ...inDir(path.join(folder.dir, "backups", folder.project, stack), () => true).map((copy) => ({ file: copy, kind: "backup" as const })),
    { file: `${file}.bak`, kind: "bak" },
    ...inDir(path.join(folder.dir, "history", folder.project, stack), (name) => /\.checkpoint\.json(\.gz)?$/.test(name)).map((copy) => ({ file: copy, kind: "history" as const })),
  ];
  return candidates
    .filter((candidate) => fs.existsSync(candidate.file) && parseCheckpointFile(candidate.file).ok)
    .map((candidate) => ({ ...candidate, mtime: fs.statSync(candidate.file).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .map(({ file: copy, kind, mtime }) => ({ file: copy, kind, savedAt: new Date(mtime).toISOString() }));
}

/** A good copy as `pulumi stack import` reads it: `{version, deployment}`, from the checkpoint's latest deployment. */
export function importableDeployment(copy: string): { version: number; deployment: unknown } {
  const parsed = parseCheckpointFile(copy);
  if (!parsed.ok) throw new Error(`${copy}: ${parsed.problem}`);
  return { version: parsed.checkpoint.version, deployment: parsed.checkpoint.checkpoint.latest ?? {} };
}

/**
 * Every stack's summary as `pulumi stack ls --json` gives it on a file:// backend (name, last update
 * as the CLI formats it, resource count), read from the files; a stack whose file does not parse gets its name only.
 */
export function stateFileSummaries(folder: StateFolder): StackSummary[] {
  const dir = path.join(folder.dir, "stacks", folder.project);
  if (!fs.existsSync(dir)) return [];
  const names = [...new Set(fs.readdirSync(dir).filter((name) => /\.json(\.gz)?$/.test(name)).map((name) => name.replace(/\.json(\.gz)?$/, "")))];
  return names.sort().map((name) => {
    const parsed = parseCheckpointFile(stateFileOf(folder, name)!);
    const latest = parsed.ok ? parsed.checkpoint.checkpoint.latest : undefined;
    const time = latest?.manifest?.time ? new Date(latest.manifest.time) : undefined;
    // The CLI prints Go's "2006-01-02T15:04:05.000Z07:00" in UTC, which is what toISOString gives.
    const lastUpdate = time && !Number.isNaN(time.getTime()) && time.getTime() > 0 ? time.toISOString() : undefined;
    return { name, current: false, updateInProgress: false, ...(lastUpdate ? { lastUpdate } : {}), ...(latest ? { resourceCount: latest.resources?.length ?? 0 } : {}) };
  });
}
