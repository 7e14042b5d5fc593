import pLimit from "p-limit";
import type { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { automationApi } from "./automation-api";
import type { StackId } from "../model/stack";
import { engineEnv, type AutomationOptions } from "./automation-options";
import { FileBackend } from "./file-backend";
import { StackListing } from "./stack-listing";
import { watchedPulumiRoot } from "./watchdog";

/** The run's one LocalWorkspace, its stack listing and its selected stacks, shared by the engine and the backend records. */
export class AutomationWorkspace {
  readonly listing = new StackListing(
    () => this.workspace(),
    () => new FileBackend(this).summariesPastUnreadable(),
  );
  // `pulumi stack select` rewrites one shared workspace file, so selections run one at a time;
  // every later command names its stack explicitly and may run in parallel.
  private readonly selection = pLimit(1);
  private readonly stacks = new Map<string, Promise<Stack>>();
  private created?: Promise<LocalWorkspace>;

  constructor(readonly options: AutomationOptions) {}

  workspace(): Promise<LocalWorkspace> {
    this.created ??= (async () => {
      const { LocalWorkspace, PulumiCommand } = automationApi();
      const workspace = await LocalWorkspace.create({
        workDir: this.options.programDir ?? this.options.workDir,
        secretsProvider: this.options.secretsProvider,
        // Every engine command goes through the watchdog, so none outlives a killed orchestrator.
        pulumiCommand: await PulumiCommand.get({ root: watchedPulumiRoot(), skipVersionCheck: true }),
        envVars: engineEnv(this.options),
      });
      // Every later command names its stack (--stack), so `stack select` only checks that it exists:
      // the run's one listing already says so, and each skipped select saves a serialized CLI start.
      const select = workspace.selectStack.bind(workspace);
      workspace.selectStack = async (name: string) => ((await this.listing.has(name)) ? undefined : select(name));
      return workspace;
    })();
    return this.created;
  }

  stack(stack: StackId, { create }: { create: boolean }): Promise<Stack> {
    const known = this.stacks.get(stack.name);
    if (known) return known;
    const made = this.selection(async () => {
      const workspace = await this.workspace();
      const { Stack } = automationApi();
      if (!create) return Stack.select(stack.name, workspace);
      const created = await Stack.createOrSelect(stack.name, workspace);
      await this.listing.add(stack.name);
      return created;
    });
    this.stacks.set(stack.name, made);
    made.catch(() => this.stacks.delete(stack.name));
    return made;
  }

  async removeStack(stack: StackId): Promise<void> {
    const workspace = await this.workspace();
    await this.selection(() => workspace.removeStack(stack.name));
    this.stacks.delete(stack.name);
    await this.listing.remove(stack.name);
  }
}
