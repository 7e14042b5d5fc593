/** A ClusterRole as the leftover check reads it. */
export interface LiveClusterRole {
  readonly metadata: {
    readonly name: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly ownerReferences?: readonly unknown[];
    readonly finalizers?: readonly string[];
    readonly managedFields?: readonly { readonly manager?: string }[];
  };
  readonly aggregationRule?: unknown;
}

export const AGGREGATION_CONTROLLER = "clusterrole-aggregation-controller";

/**
 * A ClusterRole that only Kubernetes' aggregation controller ever wrote. The controller applies
 * (server-side) the `rules` of the aggregated roles it maintains; when its apply lands right after
 * Helm deleted such a role, it creates the role again with nothing but its name and those rules: no
 * labels, annotations, owner or aggregationRule, and no field manager but its own (none at all when
 * the rules it computed were empty). Nothing else makes a role of that shape, and the controller
 * never touches it again, since it has no aggregationRule. Pure.
 */
export function isAggregationLeftover(role: LiveClusterRole): boolean {
  const { labels, annotations, ownerReferences, finalizers, managedFields } = role.metadata;
  const empty = (value: object | undefined) => value === undefined || Object.keys(value).length === 0;
  return (
    role.aggregationRule === undefined &&
    empty(labels) &&
    empty(annotations) &&
    empty(ownerReferences) &&
    empty(finalizers) &&
    (managedFields ?? []).every((entry) => entry.manager === AGGREGATION_CONTROLLER)
  );
}

/**
 * The live roles that would stop a release's install: aggregation leftovers named like an
 * aggregated role the release's chart makes. Helm refuses an existing object without its ownership
 * labels and annotations ("exists and cannot be imported"), and takes over one that has them. Pure.
 */
export function installBlockingLeftovers(live: readonly LiveClusterRole[], chartRoles: ReadonlySet<string>): string[] {
  return live.filter((role) => chartRoles.has(role.metadata.name) && isAggregationLeftover(role)).map((role) => role.metadata.name);
}

/** The run's note on the leftovers removed before a release's install. Pure. */
export function leftoverNote(release: string, roles: readonly string[]): string {
  const named = roles.map((role) => `ClusterRole ${role}`).join(", ");
  return `${release}: removed ${named} that Kubernetes' aggregation controller re-created after an earlier uninstall (no owner; only that controller wrote it) and that the release's chart makes; the install would refuse ${roles.length === 1 ? "it" : "them"}`;
}
