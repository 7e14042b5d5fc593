import * as fs from "node:fs";
import { mirrorCandidates } from "../../components/chart-source";
import { installedValues } from "./release-values";
import type { EnvironmentSpec } from "../../environments/model";
import { helmTemplate } from "./helm-template";
import type { ClusterApi } from "../cluster/kube-client";
import { diffManifests } from "./manifest-diff";
import { deployedReleases } from "./release-records";
import type { KubeObject } from "./release-objects";
import type { ResourceChange } from "../model/changes";
import type { StackId } from "../model/stack";

/**
 * What a values change does inside each Helm release a preview would upgrade: both the deployed
 * values and the new ones are rendered from the mirror's chart and compared object by object, so
 * the preview names the Deployment and field, not only "values changed". Needs the mirror and API access.
 */
export async function releaseChanges(client: ClusterApi, env: EnvironmentSpec, mirror: string, stacks: readonly StackId[]): Promise<Map<string, ResourceChange[]>> {
  const changes = new Map<string, ResourceChange[]>();
  for (const { stack, release } of await deployedReleases(client, env, stacks)) {
    const layer = stacks.find((s) => s.name === stack)!.layer;
    const [key, settings] = Object.entries(env.layers[layer].components).find(([, c]) => c.enabled && c.chart.name === release.name) ?? [];
    if (!key || !settings) continue;
    const values = installedValues(env, key, settings);
    if (canonical(values) === canonical(release.config ?? {})) continue;
    const archive = mirrorCandidates(mirror, settings.chart).find(fs.existsSync);
    if (!archive) continue;
    const [before, after] = await Promise.all([release.config ?? {}, values].map((v) => helmTemplate(archive, release.name, release.namespace, v)));
    if (!before!.ok || !after!.ok) continue;
    const diff = diffManifests(release.name, before!.objects as KubeObject[], after!.objects as KubeObject[]);
    if (diff.length > 0) changes.set(stack, [...(changes.get(stack) ?? []), ...diff]);
  }
  return changes;
}

/** One line per changed object and field, under its stack. Pure. */
export function formatReleaseChanges(changes: ReadonlyMap<string, readonly ResourceChange[]>): string {
  const lines = ["changes inside Helm releases:"];
  for (const [stack, list] of changes) {
    for (const change of list) {
      const fields = change.properties.map((p) => `${p.path}: ${JSON.stringify(p.old)} -> ${JSON.stringify(p.new)}`).join("; ");
      lines.push(`  ${stack}  ${change.op.padEnd(6)} ${change.type} ${change.name}${fields ? `  ${fields}` : ""}`);
    }
  }
  return lines.join("\n");
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));
}
