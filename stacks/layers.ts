import type { LayerName } from "../environments/layers";
import { DataLayer } from "../components/data";
import { GitopsLayer } from "../components/gitops";
import { IngressLayer } from "../components/ingress";
import { MeshLayer } from "../components/mesh";
import { ObservabilityLayer } from "../components/observability";
import { SecurityLayer } from "../components/security";
import { layerArgs, type StackContext } from "./context";
import { foundationStack } from "./foundation";

type StackProgram = (ctx: StackContext) => Record<string, unknown>;

/** Each layer's thin program: config and upstream outputs in, one component out, its outputs exported. */
export const STACK_PROGRAMS: Readonly<Record<LayerName, StackProgram>> = {
  foundation: foundationStack,
  ingress: (ctx) => {
    const layer = new IngressLayer("ingress", { ...layerArgs(ctx), domain: ctx.env.domain, cloudflareApiToken: ctx.config.getSecret("cloudflareApiToken") });
    return { namespace: layer.namespace, releases: layer.releases };
  },
  observability: (ctx) => {
    const layer = new ObservabilityLayer("observability", { ...layerArgs(ctx), grafanaAdminPassword: ctx.config.requireSecret("grafanaAdminPassword") });
    return { namespace: layer.namespace, releases: layer.releases, grafanaAdminSecret: layer.grafanaAdminSecret };
  },
  gitops: (ctx) => exportsOf(new GitopsLayer("gitops", layerArgs(ctx))),
  security: (ctx) => exportsOf(new SecurityLayer("security", layerArgs(ctx))),
  mesh: (ctx) => {
    const layer = new MeshLayer("mesh", layerArgs(ctx));
    return { namespace: layer.namespace, releases: layer.releases, mtlsMode: layer.mtlsMode };
  },
  data: (ctx) => exportsOf(new DataLayer("data", layerArgs(ctx))),
};

function exportsOf(layer: { namespace: unknown; releases: unknown }): Record<string, unknown> {
  return { namespace: layer.namespace, releases: layer.releases };
}
