import type { StackConfigFiles } from "../../orchestrator/engine/stack-config-files";
import type { StackId } from "../../orchestrator/model/stack";
import type { FakeStacks } from "./fake-stacks";

/** The stacks' config in the fake's map, saved and put back as JSON. */
export class FakeConfigFiles implements StackConfigFiles {
  constructor(private readonly stacks: FakeStacks) {}

  async configValue(stack: StackId, key: string): Promise<string | undefined> {
    const entry = this.stacks.config.get(stack.name)?.[key];
    if (entry?.secret) throw new Error(`config ${key} of ${stack.name} is a secret`);
    return entry?.value;
  }

  async configKeys(stack: StackId): Promise<string[]> {
    return Object.keys(this.stacks.config.get(stack.name) ?? {});
  }

  async passphraseSalt(stack: StackId): Promise<string | undefined> {
    return this.stacks.salts.get(stack.name);
  }

  async saveConfig(stack: StackId): Promise<string | null> {
    const config = this.stacks.config.get(stack.name);
    return config ? JSON.stringify(config) : null;
  }

  async restoreConfig(stack: StackId, saved: string | null): Promise<void> {
    if (saved === null) this.stacks.config.delete(stack.name);
    else this.stacks.config.set(stack.name, JSON.parse(saved));
  }
}
