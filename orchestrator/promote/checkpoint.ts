import * as fs from "node:fs";
import * as path from "node:path";

export interface StackCheckpoint {
  readonly stack: string;
  /** The stack settings file as it was (secret values stay ciphertext), or null when there was none. */
  readonly config: string | null;
  /** The exported deployment (secret values stay ciphertext), or undefined when the stack did not exist. */
  readonly state: unknown;
}

/**
 * Writes a target stack's pre-promotion config and state to disk (0600), so a promotion that
 * dies midway, or whose rollback fails, still leaves what is needed to put the stack back.
 * Returns the commands that restore it.
 */
export function writeCheckpoint(dir: string, checkpoint: StackCheckpoint): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const restore: string[] = [];
  const configFile = path.join(dir, `Pulumi.${checkpoint.stack}.yaml`);
  if (checkpoint.config !== null) {
    fs.writeFileSync(configFile, checkpoint.config, { mode: 0o600 });
    restore.push(`cp ${configFile} Pulumi.${checkpoint.stack}.yaml`);
  } else {
    restore.push(`rm -f Pulumi.${checkpoint.stack}.yaml`);
  }
  if (checkpoint.state !== undefined) {
    const stateFile = path.join(dir, `${checkpoint.stack}.state.json`);
    fs.writeFileSync(stateFile, `${JSON.stringify(checkpoint.state, null, 2)}\n`, { mode: 0o600 });
    restore.push(`pulumi stack import --stack ${checkpoint.stack} --file ${stateFile}`);
  }
  return restore;
}
