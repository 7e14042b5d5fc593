import type * as pulumi from "@pulumi/pulumi";
import { HelmLayer } from "./helm-layer";
import type { KubernetesLayerArgs } from "./layer-releases";

export type GitopsLayerArgs = KubernetesLayerArgs;

/** Layer 4: Argo CD and Tekton. */
export class GitopsLayer extends HelmLayer {
  constructor(name: string, args: GitopsLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:gitops:GitopsLayer", "gitops", "gitops", name, args, opts);
  }
}
