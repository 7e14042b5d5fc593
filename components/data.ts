import type * as pulumi from "@pulumi/pulumi";
import { HelmLayer } from "./helm-layer";
import type { KubernetesLayerArgs } from "./layer-releases";

export type DataLayerArgs = KubernetesLayerArgs;

/** Layer 7: CloudNativePG, the Redis operator and Kafka (Strimzi). */
export class DataLayer extends HelmLayer {
  constructor(name: string, args: DataLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:data:DataLayer", "data", "data", name, args, opts);
  }
}
