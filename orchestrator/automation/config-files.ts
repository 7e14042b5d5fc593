import * as fs from "node:fs";
import * as path from "node:path";
import type { StackConfigFiles } from "../engine/stack-config-files";
import { PreflightError } from "../model/preflight-error";
import type { StackId } from "../model/stack";
import type { AutomationWorkspace } from "./automation-workspace";

/** The keys of a `Pulumi.<stack>.yaml` this code reads, spelled as the file spells them. */
interface StackSettingsFile {
  readonly config?: Readonly<Record<string, unknown>>;
  readonly secretsprovider?: string;
  readonly encryptionsalt?: string;
}

/** The checkout's `Pulumi.<stack>.yaml` files, read through the workspace's stack settings and saved whole. */
export class ConfigFiles implements StackConfigFiles {
  constructor(private readonly shared: AutomationWorkspace) {}

  async configValue(stack: StackId, key: string): Promise<string | undefined> {
    if (!fs.existsSync(this.file(stack))) return undefined;
    const value = (await this.settings(stack)).config?.[`platform:${key}`];
    if (value === undefined) return undefined;
    if (typeof value === "object" && value !== null && "secure" in value) throw new Error(`config ${key} of ${stack.name} is a secret; it is never read in plain text`);
    return typeof value === "string" ? value : JSON.stringify(value);
  }

  async configKeys(stack: StackId): Promise<string[]> {
    // The stack settings file holds the keys in plain text (secret values as ciphertext); reading it needs no CLI call.
    if (!fs.existsSync(this.file(stack))) return [];
    const settings = await this.settings(stack);
    return Object.keys(settings.config ?? {}).map((key) => key.slice(key.indexOf(":") + 1));
  }

  async passphraseSalt(stack: StackId): Promise<string | undefined> {
    if (!fs.existsSync(this.file(stack))) return undefined;
    const settings = await this.settings(stack);
    const provider = settings.secretsprovider ?? "passphrase";
    return provider === "passphrase" ? settings.encryptionsalt : undefined;
  }

  async saveConfig(stack: StackId): Promise<string | null> {
    const file = this.file(stack);
    return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
  }

  async restoreConfig(stack: StackId, saved: string | null): Promise<void> {
    const file = this.file(stack);
    if (saved === null) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, saved);
  }

  /**
   * The stack's settings file, read as the Automation API's stackSettings() reads it, but always from
   * workDir (that reads beside the program's Pulumi.yaml); one that does not parse is bad input (exit 3), named with its line.
   */
  private async settings(stack: StackId): Promise<StackSettingsFile> {
    try {
      // Loaded here: a command that never reads stack config (status, graph) does not pay for the parser.
      const { load } = require("js-yaml") as typeof import("js-yaml");
      return (load(fs.readFileSync(this.file(stack), "utf8")) ?? {}) as StackSettingsFile;
    } catch (error) {
      throw new PreflightError(`${path.basename(this.file(stack))}: ${(error as Error).message.split("\n")[0]}; fix the file (the stack's config) and run again`);
    }
  }

  private file(stack: StackId): string {
    return path.join(this.shared.options.workDir, `Pulumi.${stack.name}.yaml`);
  }
}
