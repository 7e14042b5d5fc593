import { createHash } from "node:crypto";
import type { StackOutputs } from "../engine/stack-engine";

/** JSON with object keys sorted, so equal data always gives equal text. Pure. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

export interface FingerprintInputs {
  /** Digest of the program's source, lockfile and charts. */
  readonly program: string;
  /** The stack's environment settings as the program will read them. */
  readonly settings: unknown;
  /** The stack's own config file text (secret values are ciphertext there). */
  readonly config: string;
  /** Digests of the outputs of the stacks it depends on, by stack name (see outputsDigest). */
  readonly upstream: Readonly<Record<string, string>>;
}

/**
 * What decides a stack's result: if none of it changed since the last successful up, running up
 * again would change nothing. Only the hash is ever stored, never the inputs.
 */
export function stackFingerprint(inputs: FingerprintInputs): string {
  return createHash("sha256").update(canonicalJson(inputs)).digest("hex").slice(0, 32);
}

/** A digest of a stack's outputs, secret values included: dependents' fingerprints use it, history keeps only it. */
export function outputsDigest(outputs: StackOutputs): string {
  return createHash("sha256").update(canonicalJson(outputs)).digest("hex").slice(0, 32);
}
