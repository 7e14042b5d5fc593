/** The part of a Pulumi deployment export this project reads and edits. */
export interface Deployment {
  readonly version: number;
  readonly deployment: {
    readonly resources?: readonly unknown[];
    readonly pending_operations?: readonly { readonly resource: { readonly urn: string }; readonly type: string }[];
    readonly [key: string]: unknown;
  };
}

/**
 * Drops the pending operations a killed `up` leaves in state (the engine refuses to run until
 * they are resolved). Pure: returns the edited copy and what it removed, for the run's notes.
 */
export function clearPendingOperations(state: Deployment): { deployment: Deployment; removed: string[] } {
  const pending = state.deployment.pending_operations ?? [];
  if (pending.length === 0) return { deployment: state, removed: [] };
  const removed = pending.map((op) => `${op.type} ${op.resource.urn.split("::").pop()}`);
  return { deployment: { ...state, deployment: { ...state.deployment, pending_operations: [] } }, removed };
}
