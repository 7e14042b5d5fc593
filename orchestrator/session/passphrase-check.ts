import { createDecipheriv, pbkdf2 } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import type { StackConfigFiles } from "../engine/stack-config-files";
import { PreflightError } from "../model/preflight-error";
import type { StackId } from "../model/stack";

const derive = promisify(pbkdf2);

/** Where the engine takes the passphrase from, in its order: the variable, then the file. */
export type PassphraseSource =
  | { readonly kind: "found"; readonly passphrase: string; readonly from: string }
  | { readonly kind: "problem"; readonly problem: string };

/** The passphrase the engine would use, read as Pulumi reads it (the file's content trimmed). */
export function passphraseSource(env: NodeJS.ProcessEnv): PassphraseSource {
  if (env.PULUMI_CONFIG_PASSPHRASE !== undefined) return { kind: "found", passphrase: env.PULUMI_CONFIG_PASSPHRASE, from: "the environment variable PULUMI_CONFIG_PASSPHRASE" };
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (!file) return { kind: "problem", problem: "neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set (source tools/env.sh sets the file .platform/passphrase)" };
  try {
    return { kind: "found", passphrase: fs.readFileSync(path.resolve(file), "utf8").trim(), from: `the file PULUMI_CONFIG_PASSPHRASE_FILE=${file}` };
  } catch (error) {
    return { kind: "problem", problem: `PULUMI_CONFIG_PASSPHRASE_FILE=${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
  }
}

/**
 * True when the passphrase opens a stack's `encryptionsalt`, checked as Pulumi's passphrase secrets
 * manager does: `v1:<salt>:v1:<nonce>:<ciphertext>`, AES-256-GCM under a PBKDF2-SHA256 key
 * (1,000,000 iterations) that must decrypt to "pulumi".
 */
export async function passphraseOpens(passphrase: string, encryptionSalt: string): Promise<boolean> {
  const parts = encryptionSalt.split(":");
  if (parts.length !== 5 || parts[0] !== "v1" || parts[2] !== "v1") return false;
  const [salt, nonce, sealed] = [parts[1]!, parts[3]!, parts[4]!].map((part) => Buffer.from(part, "base64"));
  if (sealed!.length < 16) return false;
  const key = await derive(passphrase, salt!, 1_000_000, 32, "sha256");
  try {
    // Go's GCM Seal appends the 16-byte tag to the ciphertext.
    const decipher = createDecipheriv("aes-256-gcm", key, nonce!);
    decipher.setAuthTag(sealed!.subarray(sealed!.length - 16));
    const plain = Buffer.concat([decipher.update(sealed!.subarray(0, sealed!.length - 16)), decipher.final()]).toString("utf8");
    return plain === "pulumi";
  } catch {
    return false;
  }
}

/**
 * Stops the run before the lock and the first engine call when the passphrase cannot decrypt the
 * secrets of every stack that keeps them under one (each stack's salt is checked: one derivation each, in parallel).
 */
export async function checkPassphrase(configFiles: StackConfigFiles, stacks: readonly StackId[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const salted = (await Promise.all(stacks.map(async (stack) => ({ stack: stack.name, salt: await configFiles.passphraseSalt(stack) })))).filter(
    (entry): entry is { stack: string; salt: string } => entry.salt !== undefined,
  );
  if (salted.length === 0) return;
  const source = passphraseSource(env);
  const names = (entries: readonly { stack: string }[]) => entries.map((entry) => entry.stack).join(", ");
  if (source.kind === "problem") {
    throw new PreflightError(`the secrets of ${names(salted)} are encrypted with a passphrase, and ${source.problem}; set one and run again; nothing was run`);
  }
  const refused = (await Promise.all(salted.map(async (entry) => ((await passphraseOpens(source.passphrase, entry.salt)) ? undefined : entry)))).filter((entry) => entry !== undefined);
  if (refused.length === 0) return;
  throw new PreflightError(
    `the passphrase from ${source.from} does not decrypt the secrets of ${names(refused)} (the encryptionsalt in ${refused.map((entry) => `Pulumi.${entry.stack}.yaml`).join(", ")}); ` +
      `nothing was run and no lock was taken; set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to the passphrase these stacks were created with, and run again`,
  );
}
