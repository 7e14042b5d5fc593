import type { StackId } from "../model/stack";

/** The stacks' config files of this checkout (`Pulumi.<stack>.yaml`): read without the engine, saved and put back whole. */
export interface StackConfigFiles {
  /** A non-secret config value of the stack (without the project prefix), or undefined. */
  configValue(stack: StackId, key: string): Promise<string | undefined>;
  /** Names of the config keys a stack has (without the project prefix); never their values. */
  configKeys(stack: StackId): Promise<string[]>;
  /** The stack's whole config as stored (secrets stay encrypted), to put back later; null when it has none. */
  saveConfig(stack: StackId): Promise<string | null>;
  restoreConfig(stack: StackId, saved: string | null): Promise<void>;
  /** The stack's `encryptionsalt` when a passphrase guards its secrets (`v1:<salt>:<ciphertext of "pulumi">`); undefined otherwise. */
  passphraseSalt(stack: StackId): Promise<string | undefined>;
}
