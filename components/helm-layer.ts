import * as pulumi from "@pulumi/pulumi";
import type { LayerName } from "../environments/layers";
import { layerReleases, releaseStatuses, type KubernetesLayerArgs } from "./layer-releases";
import { namespaceWithQuota } from "./namespace";

/** A layer that is exactly its namespace (with quota) and one Helm release per enabled component. */
export class HelmLayer extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly releases: pulumi.Output<Record<string, string>>;

  protected constructor(
    type: string,
    layer: LayerName,
    namespaceName: string,
    name: string,
    args: KubernetesLayerArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const { namespace } = namespaceWithQuota(`${name}-ns`, namespaceName, args.settings.quota, { parent: this, provider: args.provider }, args.namespaceDeleteTimeoutSeconds);
    const releases = layerReleases(layer, namespace.metadata.name, args, this);
    this.namespace = namespace.metadata.name;
    this.releases = releaseStatuses(releases);
    this.registerOutputs({ namespace: this.namespace, releases: this.releases });
  }
}
