/** What the orchestrator reads of a CustomResourceDefinition. */
export interface CrdView {
  readonly metadata: { readonly name: string; readonly annotations?: Readonly<Record<string, string>>; readonly labels?: Readonly<Record<string, string>> };
  readonly spec: {
    readonly group: string;
    readonly names: { readonly plural: string; readonly kind: string };
    readonly scope?: string;
    readonly versions: readonly { readonly name: string; readonly served?: boolean; readonly storage?: boolean }[];
  };
}

/** A CRD of the platform's charts still on the cluster, and why Helm left it. */
export interface KeptCrd {
  readonly name: string;
  /** The chart or release that installed it. */
  readonly chart: string;
  readonly why: "chart crds/ directory" | "helm.sh/resource-policy: keep" | "left by its release";
}

/**
 * The live CRDs the platform's charts installed: those a chart ships in its `crds/` directory
 * (Helm installs them unlabelled and never deletes them) and those a platform release templated
 * (Helm's release annotation), which stay when marked `helm.sh/resource-policy: keep`. CRDs of
 * anything else on the cluster are not the platform's and are left out. Pure.
 */
export function platformCrds(live: readonly CrdView[], chartCrds: ReadonlyMap<string, string>, releases: ReadonlySet<string>): KeptCrd[] {
  const kept: KeptCrd[] = [];
  for (const crd of live) {
    const release = crd.metadata.annotations?.["meta.helm.sh/release-name"];
    const fromChart = chartCrds.get(crd.metadata.name);
    if (release && releases.has(release)) {
      const keep = crd.metadata.annotations?.["helm.sh/resource-policy"] === "keep";
      kept.push({ name: crd.metadata.name, chart: release, why: keep ? "helm.sh/resource-policy: keep" : "left by its release" });
    } else if (fromChart) {
      kept.push({ name: crd.metadata.name, chart: fromChart, why: "chart crds/ directory" });
    }
  }
  return kept.sort((a, b) => a.name.localeCompare(b.name));
}

/** The destroy summary's line about them. Pure. */
export function formatKeptCrds(crds: readonly KeptCrd[]): string {
  if (crds.length === 0) return "left behind: no CRDs of the platform's charts";
  const byWhy = new Map<string, string[]>();
  for (const crd of crds) byWhy.set(crd.why, [...(byWhy.get(crd.why) ?? []), crd.name]);
  const groups = [...byWhy.entries()].map(([why, names]) => `${why}: ${names.length}`).join(", ");
  return `kept by Helm by design (${groups}), ${crds.length} CRDs of the platform's charts: ${crds.map((c) => `${c.name} (${c.chart})`).join(", ")}; \`destroy --purge-crds\` removes them with their custom resources`;
}

/** The API path listing a CRD's custom resources in every namespace, by its storage version. Pure. */
export function customResourcesPath(crd: CrdView): string {
  const version = crd.spec.versions.find((v) => v.storage) ?? crd.spec.versions.find((v) => v.served) ?? crd.spec.versions[0]!;
  return `/apis/${crd.spec.group}/${version.name}/${crd.spec.names.plural}`;
}

/** The warning shown before CRDs are purged: each CRD with how many custom resources go with it. Pure. */
export function purgeWarning(counts: readonly { readonly name: string; readonly customResources: number | undefined }[]): string {
  const total = counts.reduce((sum, c) => sum + (c.customResources ?? 0), 0);
  const lines = counts.map((c) => `  ${c.name}: ${c.customResources === undefined ? "custom resources could not be counted" : `${c.customResources} custom resource(s) cluster-wide`}`);
  return [
    `warning: --purge-crds deletes ${counts.length} CRD(s) of the platform's charts, and with each CRD every custom resource of it in every namespace (${total} in all), whoever made them:`,
    ...lines,
  ].join("\n");
}
