import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { layerReleases, releaseStatuses, type KubernetesLayerArgs } from "./layer-releases";
import { namespaceWithQuota } from "./namespace";

export interface ObservabilityLayerArgs extends KubernetesLayerArgs {
  /** Grafana's admin password; a Pulumi secret, stored in a Kubernetes Secret, never in values. */
  readonly grafanaAdminPassword: pulumi.Input<string>;
}

/** Layer 3: Prometheus + Mimir, Loki, Grafana, Tempo and the OpenTelemetry collector. */
export class ObservabilityLayer extends pulumi.ComponentResource {
  readonly namespace: pulumi.Output<string>;
  readonly releases: pulumi.Output<Record<string, string>>;
  readonly grafanaAdminSecret: pulumi.Output<string>;

  constructor(name: string, args: ObservabilityLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:observability:ObservabilityLayer", name, {}, opts);
    const opts_ = { parent: this, provider: args.provider };
    const { namespace } = namespaceWithQuota(`${name}-ns`, "observability", args.settings.quota, opts_, args.namespaceDeleteTimeoutSeconds);
    const admin = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: "grafana-admin", namespace: namespace.metadata.name },
        stringData: { "admin-user": "admin", "admin-password": pulumi.secret(args.grafanaAdminPassword) },
      },
      opts_,
    );
    const releases = layerReleases("observability", namespace.metadata.name, args, this, {
      dependsOn: { grafana: [admin] },
    });
    this.namespace = namespace.metadata.name;
    this.releases = releaseStatuses(releases);
    this.grafanaAdminSecret = admin.metadata.name;
    this.registerOutputs({ namespace: this.namespace, releases: this.releases, grafanaAdminSecret: this.grafanaAdminSecret });
  }
}
