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
  /** Values for this chart: replicas and resources under the keys the chart really uses, the environment's values over them. */
  readonly values: Record<string, unknown>;
  /** Wait for the release's workloads; false where no kubelet runs pods. */
  readonly awaitWorkloads: boolean;
}

/** One Helm release of a platform component, chart pinned. */
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
      values: args.values,
      skipAwait: !args.awaitWorkloads,
      atomic: false,
      timeout: 600,
    },
    opts,
  );
}

