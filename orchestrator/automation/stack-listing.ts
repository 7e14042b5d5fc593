import type { LocalWorkspace, StackSummary } from "@pulumi/pulumi/automation";
import type { StateMarker } from "../model/stack";

/** The backend's stacks as this run knows them: listed once, then kept up to date by the run's own creates and removes. */
export class StackListing {
  // One listing per engine: a run holds its environment's lock, so only this engine adds or removes its stacks.
  private listing?: Promise<Map<string, StackSummary>>;

  /**
   * `pastUnreadable` lists the stacks from elsewhere when `stack ls` fails because a stack's state
   * does not parse (a file:// backend's files); undefined when that is not why it failed.
   */
  constructor(
    private readonly workspace: () => Promise<LocalWorkspace>,
    private readonly pastUnreadable: () => Promise<StackSummary[] | undefined> = async () => undefined,
  ) {}

  async has(name: string): Promise<boolean> {
    return (await this.known()).has(name);
  }

  async add(name: string): Promise<void> {
    const known = await this.known();
    if (!known.has(name)) known.set(name, { name, current: false, updateInProgress: false });
  }

  async remove(name: string): Promise<void> {
    (await this.known()).delete(name);
  }

  async markers(options: { fresh?: boolean } = {}): Promise<ReadonlyMap<string, StateMarker>> {
    if (options.fresh) this.listing = undefined;
    const markers = new Map<string, StateMarker>();
    for (const [name, summary] of await this.known()) {
      if (summary.lastUpdate !== undefined) markers.set(name, { lastUpdate: summary.lastUpdate, resourceCount: summary.resourceCount ?? 0 });
    }
    return markers;
  }

  private known(): Promise<Map<string, StackSummary>> {
    this.listing ??= this.workspace()
      .then((workspace) => workspace.listStacks())
      .catch(async (error: unknown) => {
        const summaries = await this.pastUnreadable();
        if (!summaries) throw error;
        return summaries;
      })
      .then((summaries) => new Map(summaries.map((summary) => [summary.name.split("/").pop()!, summary])));
    this.listing.catch(() => (this.listing = undefined));
    return this.listing;
  }
}
