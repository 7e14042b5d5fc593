import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LayerSettings } from "../environments/model";
import { resolveChart, type ChartSource } from "./chart-source";
import { releaseValues, type ValuesContext } from "./chart-values";
import { deepMerge } from "./deep-merge";
import { platformRelease } from "./helm-release";

/** What every Kubernetes layer component takes. */
export interface KubernetesLayerArgs {
  /** Provider for the cluster made by the foundation layer. */
  readonly provider: k8s.Provider;
  readonly settings: LayerSettings;
  readonly chartSource: ChartSource;
  /** Environment facts the chart values use (domain, cluster name, region). */
  readonly valuesContext: ValuesContext;
  /** Wait for workloads to become ready (false where pods never really run). */
  readonly awaitWorkloads: boolean;
  /** How long a destroy waits for the layer's namespace to go; the provider's 10 minutes when unset. */
  readonly namespaceDeleteTimeoutSeconds?: number;
}

export interface ReleaseOptions {
  /** Extra values per component that are only known while deploying, e.g. role ARNs made by the layer itself. */
  readonly extraValues?: Readonly<Record<string, Record<string, unknown>>>;
  readonly dependsOn?: Readonly<Record<string, pulumi.Resource[]>>;
}

/** One Helm release per enabled component of a layer, in `namespace`, parented to the layer. */
export function layerReleases(
  layer: string,
  namespace: pulumi.Input<string>,
  args: KubernetesLayerArgs,
  parent: pulumi.ComponentResource,
  options: ReleaseOptions = {},
): Record<string, k8s.helm.v3.Release> {
  const releases: Record<string, k8s.helm.v3.Release> = {};
  for (const [key, settings] of Object.entries(args.settings.components)) {
    if (!settings.enabled) continue;
    releases[key] = platformRelease(
      `${layer}-${key}`,
      {
        releaseName: settings.chart.name,
        namespace,
        chart: resolveChart(args.chartSource, settings.chart),
        settings,
        values: deepMerge(releaseValues(key, settings, args.valuesContext), options.extraValues?.[key] ?? {}),
        awaitWorkloads: args.awaitWorkloads,
      },
      { parent, provider: args.provider, dependsOn: options.dependsOn?.[key] ?? [] },
    );
  }
  return releases;
}

/** Release name -> Helm status, for stack outputs. */
export function releaseStatuses(releases: Record<string, k8s.helm.v3.Release>): pulumi.Output<Record<string, string>> {
  const entries = Object.entries(releases).map(([key, release]) => release.status.apply((status) => [key, status.status] as const));
  return pulumi.all(entries).apply((pairs) => Object.fromEntries(pairs.map(([key, status]) => [key, status ?? "unknown"])));
}

/** The layer's settings with only `key` among its components (for installing it in a step of its own). */
export function only(settings: LayerSettings, key: string): LayerSettings {
  const component = settings.components[key];
  return { ...settings, components: component ? { [key]: component } : {} };
}

/** The layer's settings without the component `key`. */
export function without(settings: LayerSettings, key: string): LayerSettings {
  const { [key]: _left, ...rest } = settings.components;
  return { ...settings, components: rest };
}
