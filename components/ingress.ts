import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { layerReleases, only, releaseStatuses, without, type KubernetesLayerArgs } from "./layer-releases";
import { namespaceWithQuota } from "./namespace";

export interface IngressLayerArgs extends KubernetesLayerArgs {
  /** DNS zone external-dns manages, e.g. dev.platform.example.com. */
  readonly domain: string;
  /** Cloudflare API token for external-dns; required when external-dns is enabled. */
  readonly cloudflareApiToken?: pulumi.Input<string>;
}

/** Layer 2: emissary-ingress (after its CRDs), cert-manager with a self-signed Issuer, and external-dns (Cloudflare). */
export class IngressLayer extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly releases: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: IngressLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:ingress:IngressLayer", name, {}, opts);
    const externalDns = args.settings.components.externalDns;
    if (externalDns?.enabled && args.cloudflareApiToken === undefined) {
      throw new Error("external-dns is enabled but no Cloudflare token was given; set it with `pulumi config set --secret cloudflareApiToken` or disable layers.ingress.components.externalDns");
    }
    const opts_ = { parent: this, provider: args.provider };
    const { namespace } = namespaceWithQuota(`${name}-ns`, "ingress", args.settings.quota, opts_, args.namespaceDeleteTimeoutSeconds);
    const tokenSecret = externalDns?.enabled
      ? [
          new k8s.core.v1.Secret(
            `${name}-cloudflare`,
            { metadata: { name: "cloudflare-api-token", namespace: namespace.metadata.name }, stringData: { token: pulumi.secret(args.cloudflareApiToken!) } },
            opts_,
          ),
        ]
      : [];
    const crds = layerReleases("ingress", namespace.metadata.name, { ...args, settings: only(args.settings, "emissaryCrds") }, this);
    const releases = {
      ...crds,
      ...layerReleases("ingress", namespace.metadata.name, { ...args, settings: without(args.settings, "emissaryCrds") }, this, {
        dependsOn: { emissary: Object.values(crds), externalDns: tokenSecret },
      }),
    };
    if (releases.certManager) {
      // The Issuer kind comes from cert-manager's CRDs, so it waits for that release.
      new k8s.apiextensions.CustomResource(
        `${name}-selfsigned-issuer`,
        { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: "selfsigned", namespace: namespace.metadata.name }, spec: { selfSigned: {} } },
        { ...opts_, dependsOn: [releases.certManager] },
      );
    }
    this.namespace = namespace.metadata.name;
    this.releases = releaseStatuses(releases);
    this.registerOutputs({ namespace: this.namespace, releases: this.releases });
  }
}
