import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { layerReleases, only, releaseStatuses, without, type KubernetesLayerArgs } from "./layer-releases";
import { namespaceWithQuota } from "./namespace";

export interface MeshLayerArgs extends KubernetesLayerArgs {
  /** Mesh-wide mutual TLS mode; STRICT refuses plain-text traffic between workloads. */
  readonly mtlsMode?: "STRICT" | "PERMISSIVE";
}

/** Layer 6: Istio (base CRDs, istiod) with mesh-wide mutual TLS. */
export class MeshLayer extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly releases: pulumi.Output<Record<string, string>>;
  readonly mtlsMode: string;

  constructor(name: string, args: MeshLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:mesh:MeshLayer", name, {}, opts);
    const opts_ = { parent: this, provider: args.provider };
    const { namespace } = namespaceWithQuota(`${name}-ns`, "istio-system", args.settings.quota, opts_, args.namespaceDeleteTimeoutSeconds);
    const base = layerReleases("mesh", namespace.metadata.name, { ...args, settings: only(args.settings, "istioBase") }, this);
    const control = layerReleases("mesh", namespace.metadata.name, { ...args, settings: without(args.settings, "istioBase") }, this, {
      dependsOn: { istiod: Object.values(base) },
    });
    this.mtlsMode = args.mtlsMode ?? "STRICT";
    if (base.istioBase) {
      // The PeerAuthentication kind comes from the base chart's CRDs, so it waits for that release.
      new k8s.apiextensions.CustomResource(
        `${name}-mtls`,
        {
          apiVersion: "security.istio.io/v1",
          kind: "PeerAuthentication",
          metadata: { name: "default", namespace: namespace.metadata.name },
          spec: { mtls: { mode: this.mtlsMode } },
        },
        { ...opts_, dependsOn: [base.istioBase] },
      );
    }
    this.namespace = namespace.metadata.name;
    this.releases = releaseStatuses({ ...base, ...control });
    this.registerOutputs({ namespace: this.namespace, releases: this.releases, mtlsMode: this.mtlsMode });
  }
}
