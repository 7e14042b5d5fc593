/** Pulumi's own change kinds (create, update, delete, replace, same, ...) to counts. */
export type ChangeCounts = Readonly<Record<string, number>>;

/** One property a step would change: its path (as Pulumi writes it) and values, secrets shown as [secret]. */
export interface PropertyChange {
  readonly path: string;
  readonly kind: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

/** One resource a preview would touch. */
export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** Pulumi's step op: create, update, delete, replace, ... */
  readonly op: string;
  readonly properties: readonly PropertyChange[];
}
