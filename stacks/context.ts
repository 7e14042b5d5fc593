import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import type { ChartSource } from "../components/chart-source";
import { valuesContextOf } from "../components/chart-values";
import type { EnvironmentSpec, LayerSettings } from "../environments/model";
import { checkoutRoot } from "../environments/checkout-root";
import { applyRelease, parseRelease, RELEASE_CONFIG_KEY } from "../environments/release";
import { stackName, type LayerName } from "../environments/layers";

/** Everything a layer's stack program needs, read once at the boundary. */
export interface StackContext {
  readonly layer: LayerName;
  readonly env: EnvironmentSpec;
  readonly settings: LayerSettings;
  readonly config: pulumi.Config;
  readonly repoRoot: string;
  readonly chartSource: ChartSource;
}

export function stackContext(layer: LayerName, env: EnvironmentSpec): StackContext {
  const repoRoot = checkoutRoot();
  const config = new pulumi.Config("platform");
  // A promoted release (chart versions, component values) overrides the YAML for this stack only.
  const promoted = config.getObject<unknown>(RELEASE_CONFIG_KEY);
  const settings = applyRelease(env.layers[layer], promoted === undefined ? undefined : parseRelease(promoted, pulumi.getStack()));
  return {
    layer,
    env: { ...env, layers: { ...env.layers, [layer]: settings } },
    settings,
    config,
    repoRoot,
    chartSource: env.charts.mirror ? { kind: "mirror", dir: path.resolve(repoRoot, env.charts.mirror) } : { kind: "repository" },
  };
}

/** The cluster the foundation stack of the same environment made, through a stack reference. */
export function foundationProvider(ctx: StackContext): k8s.Provider {
  const foundation = new pulumi.StackReference(`organization/platform/${stackName("foundation", ctx.env.name)}`);
  // Previewing an environment whose foundation is not deployed yet: the cluster is not known, as
  // any output of a resource still to be created; an up still requires it.
  const kubeconfig = pulumi.runtime.isDryRun()
    ? foundation.getOutput("kubeconfig").apply((value: string | undefined) => value ?? (pulumi.unknown as unknown as string))
    : (foundation.requireOutput("kubeconfig") as pulumi.Output<string>);
  return new k8s.Provider(`${ctx.layer}-cluster`, { kubeconfig: pulumi.secret(kubeconfig) });
}

export function layerArgs(ctx: StackContext) {
  return {
    provider: foundationProvider(ctx),
    settings: ctx.settings,
    chartSource: ctx.chartSource,
    valuesContext: valuesContextOf(ctx.env),
    awaitWorkloads: ctx.env.cluster.awaitWorkloads,
    namespaceDeleteTimeoutSeconds: ctx.env.cluster.namespaceDeleteTimeoutSeconds,
  };
}
