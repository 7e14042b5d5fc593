import * as fs from "node:fs";
import { LineCounter, parseDocument, isMap, isPair, isScalar, visit, type Document } from "yaml";
import type { ConfigIssue } from "./config-error";
import { isTree, type Tree } from "./merge";

/**
 * What one environment file may hold: far above what an environment needs (the blueprint has
 * about 150 keys), far below what stalls validation and the engine (tens of thousands of keys
 * kept a preview busy for over 20 minutes).
 */
export const FILE_LIMITS = { bytes: 256 * 1024, keys: 5_000, aliases: 100 } as const;

export interface ParsedFile {
  readonly file: string;
  readonly tree: Tree;
  readonly document: Document;
  readonly lines: LineCounter;
}

const KEEP_IT_SMALL = "keep only what differs from the file it extends";

/**
 * Reads and parses one environment file. Size, encoding, syntax, alias expansion and key count
 * are checked before anything uses it; each problem is added to `issues`, naming the file.
 */
export function parseEnvironmentFile(file: string, display: string, issues: ConfigIssue[]): ParsedFile | undefined {
  const problem = (message: string, at: { path?: string; line?: number; column?: number } = {}) => {
    issues.push({ file: display, path: at.path ?? "", ...(at.line !== undefined ? { line: at.line, column: at.column ?? 1 } : {}), message });
    return undefined;
  };
  const size = fs.statSync(file).size;
  if (size > FILE_LIMITS.bytes) return problem(`${Math.ceil(size / 1024)} KiB is larger than the ${FILE_LIMITS.bytes / 1024} KiB an environment file may be; ${KEEP_IT_SMALL}`);
  const bytes = fs.readFileSync(file);
  const text = bytes.toString("utf8");
  const badByte = firstInvalidUtf8(bytes);

  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (badByte !== undefined) {
    const at = lineOf(bytes, badByte);
    const field = pathAt(document, bytes.subarray(0, badByte).toString("utf8").length);
    return problem(`not valid UTF-8 (byte 0x${bytes[badByte]!.toString(16)}); save the file as UTF-8`, { path: field?.join("."), ...at });
  }
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const at = error.linePos?.[0] ? { line: error.linePos[0].line, column: error.linePos[0].col } : {};
      const duplicate = error.code === "DUPLICATE_KEY" ? pathAt(document, error.pos[0]) : undefined;
      if (duplicate) {
        const within = duplicate.length > 1 ? ` in ${duplicate.slice(0, -1).join(".")}` : "";
        problem(`duplicate key "${duplicate[duplicate.length - 1]}"${within}: a key may appear once in a mapping; keep one of them`, { path: duplicate.join("."), ...at });
      } else {
        problem(`YAML syntax: ${error.message.split("\n")[0]}`, at);
      }
    }
    return undefined;
  }

  let tree: unknown;
  try {
    tree = document.toJS({ maxAliasCount: FILE_LIMITS.aliases });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    return problem(`YAML aliases expand past the ${FILE_LIMITS.aliases} an environment file may use (a YAML alias bomb?); write the values out instead of nesting aliases`);
  }
  if (!isTree(tree) || !isMap(document.contents)) return problem("expected a YAML mapping of settings (target, cluster, layers, ...)");
  if (countKeys(tree, FILE_LIMITS.keys) > FILE_LIMITS.keys) return problem(`more than the ${FILE_LIMITS.keys} keys an environment file may hold (aliases expanded); ${KEEP_IT_SMALL}`);
  return { file: display, tree, document, lines };
}

/** Offset of the first byte of the first sequence that is not valid UTF-8, or undefined when the whole text is valid. */
function firstInvalidUtf8(bytes: Buffer): number | undefined {
  // `stream` leaves a sequence cut at the end pending instead of calling it invalid, so failing is monotonic in `end`.
  const fails = (end: number, stream = true) => {
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, end), { stream });
      return false;
    } catch {
      return true;
    }
  };
  if (!fails(bytes.length, false)) return undefined;
  if (!fails(bytes.length)) return sequenceStart(bytes, bytes.length);
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (fails(middle)) high = middle;
    else low = middle + 1;
  }
  return sequenceStart(bytes, low - 1);
}

/** The decoder stopped at byte `at`: report the lead byte of the sequence `at` broke off, or `at` itself when it broke none. */
function sequenceStart(bytes: Buffer, at: number): number {
  let lead = at - 1;
  while (lead > 0 && at - lead < 4 && (bytes[lead]! & 0xc0) === 0x80) lead--;
  if (lead < 0 || bytes[lead]! < 0xc0) return at;
  const length = bytes[lead]! >= 0xf0 ? 4 : bytes[lead]! >= 0xe0 ? 3 : 2;
  return at - lead < length ? lead : at;
}

function lineOf(bytes: Buffer, offset: number): { line: number; column: number } {
  const before = bytes.subarray(0, offset);
  const lastNewline = before.lastIndexOf(0x0a);
  return { line: before.filter((byte) => byte === 0x0a).length + 1, column: offset - lastNewline };
}

/** Dotted keys of the innermost mapping entry that spans `offset`, when there is one. */
function pathAt(document: Document, offset: number): string[] | undefined {
  let found: string[] | undefined;
  visit(document, {
    Pair(_, pair, ancestors) {
      const start = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
      const end = (pair.value as { range?: [number, number, number] } | null)?.range?.[2] ?? (isScalar(pair.key) ? pair.key.range?.[2] : undefined);
      if (start === undefined || end === undefined || offset < start || offset > end) return undefined;
      found = [...ancestors.filter(isPair), pair].map((entry) => String(isScalar(entry.key) ? entry.key.value : entry.key));
      return undefined;
    },
  });
  return found;
}

/** Keys in a parsed tree, counting stops a little past `limit`. */
function countKeys(value: unknown, limit: number): number {
  let count = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && count <= limit) {
    const next = pending.pop();
    if (Array.isArray(next)) pending.push(...next);
    else if (isTree(next)) {
      const entries = Object.values(next);
      count += entries.length;
      pending.push(...entries);
    }
  }
  return count;
}
