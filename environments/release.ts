import { z } from "zod";
import type { LayerSettings } from "./model";

/**
 * The promotable part of a layer's settings: which chart version each component runs and its
 * extra values. It travels between environments as the stack config key `platform:release`;
 * everything else (region, sizing, replicas, resources, domain, secrets) stays pinned to the
 * environment's YAML.
 */
export interface ComponentRelease {
  readonly chartVersion: string;
  readonly values: Readonly<Record<string, unknown>>;
}

export interface LayerRelease {
  readonly components: Readonly<Record<string, ComponentRelease>>;
}

export const RELEASE_CONFIG_KEY = "release";

const releaseSchema = z.strictObject({
  components: z.record(z.string(), z.strictObject({ chartVersion: z.string().min(1), values: z.record(z.string(), z.unknown()) })),
});

/** Validates a `platform:release` value; the error names the stack and the field. */
export function parseRelease(value: unknown, stackName: string): LayerRelease {
  const result = releaseSchema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`stack config platform:release of ${stackName}: ${issue.path.join(".") || "(root)"}: ${issue.message}; fix it with \`pulumi config set release '<json>' --stack ${stackName}\` or remove it`);
}

/** The release the environment's YAML describes for a layer (enabled components only). Pure. */
export function releaseOf(settings: LayerSettings): LayerRelease {
  const components: Record<string, ComponentRelease> = {};
  for (const [key, component] of Object.entries(settings.components)) {
    if (component.enabled) components[key] = { chartVersion: component.chart.version, values: component.values };
  }
  return { components };
}

/** Layer settings with a release laid over them; components the layer does not enable are ignored. Pure. */
export function applyRelease(settings: LayerSettings, release: LayerRelease | undefined): LayerSettings {
  if (!release) return settings;
  const components = Object.fromEntries(
    Object.entries(settings.components).map(([key, component]) => {
      const promoted = release.components[key];
      if (!promoted || !component.enabled) return [key, component];
      return [key, { ...component, chart: { ...component.chart, version: promoted.chartVersion }, values: promoted.values }];
    }),
  );
  return { ...settings, components };
}

/** What promotion would carry into a target layer: the source's release, restricted to what the target enables. Pure. */
export function promotedRelease(source: LayerRelease, target: LayerRelease): LayerRelease {
  const components: Record<string, ComponentRelease> = {};
  for (const [key, current] of Object.entries(target.components)) components[key] = source.components[key] ?? current;
  return { components };
}

export interface ReleaseChange {
  readonly component: string;
  readonly field: "chartVersion" | "values";
  readonly from: unknown;
  readonly to: unknown;
}

/** Field-level differences between two releases. Pure. */
export function diffRelease(before: LayerRelease, after: LayerRelease): ReleaseChange[] {
  const changes: ReleaseChange[] = [];
  for (const key of [...new Set([...Object.keys(before.components), ...Object.keys(after.components)])].sort()) {
    const a = before.components[key];
    const b = after.components[key];
    if (a?.chartVersion !== b?.chartVersion) changes.push({ component: key, field: "chartVersion", from: a?.chartVersion, to: b?.chartVersion });
    if (JSON.stringify(a?.values ?? {}) !== JSON.stringify(b?.values ?? {})) changes.push({ component: key, field: "values", from: a?.values, to: b?.values });
  }
  return changes;
}
