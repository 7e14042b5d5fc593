import type * as pulumi from "@pulumi/pulumi";
import { HelmLayer } from "./helm-layer";
import type { KubernetesLayerArgs } from "./layer-releases";

export type SecurityLayerArgs = KubernetesLayerArgs;

/** Layer 5: OpenBao, External Secrets, OPA Gatekeeper and Falco. */
export class SecurityLayer extends HelmLayer {
  constructor(name: string, args: SecurityLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:security:SecurityLayer", "security", "security", name, args, opts);
  }
}
