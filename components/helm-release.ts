import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentSettings } from "../environments/model";
import type { ResolvedChart } from "./chart-source";

export interface PlatformReleaseArgs {
  /** Helm release name; the chart name, so it stays the same in every environment. */
  readonly releaseName: string;
  readonly namespace: pulumi.Input<string>;
  readonly chart: ResolvedChart;
  readonly settings: ComponentSettings;
  /** Values computed for this chart (replicas and resources under the keys the chart really uses). */
  readonly values: Record<string, unknown>;
  /** Wait for the release's workloads; false where no kubelet runs pods. */
  readonly awaitWorkloads: boolean;
}

/** One Helm release of a platform component, chart pinned, values = computed values overlaid by the environment's own. */
export function platformRelease(name: string, args: PlatformReleaseArgs, opts: pulumi.CustomResourceOptions): k8s.helm.v3.Release {
  const chart =
    args.chart.kind === "local"
      ? { chart: args.chart.path }
      : args.chart.kind === "oci"
        ? { chart: args.chart.chart, version: args.chart.version }
        : { chart: args.chart.chart, version: args.chart.version, repositoryOpts: { repo: args.chart.repo } };
  return new k8s.helm.v3.Release(
    name,
    {
      name: args.releaseName,
      namespace: args.namespace,
      ...chart,
      ...(args.chart.kind === "local" ? { version: args.settings.chart.version.replace(/^v/, "") } : {}),
      values: deepMerge(args.values, args.settings.values),
      skipAwait: !args.awaitWorkloads,
      atomic: false,
      timeout: 600,
    },
    opts,
  );
}

export function deepMerge(base: Readonly<Record<string, unknown>>, override: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
