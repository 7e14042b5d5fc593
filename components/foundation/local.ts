import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { LayerSettings } from "../../environments/model";
import type { ChartSource } from "../chart-source";
import type { ValuesContext } from "../chart-values";
import { layerReleases, releaseStatuses } from "../layer-releases";
import { namespaceWithQuota } from "../namespace";

export interface LocalFoundationArgs {
  /** Contents of the kubeconfig of an existing cluster (the stack program reads the file). */
  readonly kubeconfig: pulumi.Input<string>;
  /** Context to use inside the kubeconfig; its current context when omitted. */
  readonly context?: string;
  readonly clusterName: string;
  readonly settings: LayerSettings;
  readonly chartSource: ChartSource;
  readonly valuesContext: ValuesContext;
  readonly awaitWorkloads: boolean;
  /** How long a destroy waits for the platform namespace to go; the provider's 10 minutes when unset. */
  readonly namespaceDeleteTimeoutSeconds?: number;
}

/** Layer 1 on an existing cluster: a provider for it, the platform namespace, and the essential add-ons. */
export class LocalFoundation extends pulumi.ComponentResource {
  readonly kubeconfig: pulumi.Output<string>;
  readonly clusterName: pulumi.Output<string>;
  readonly provider: k8s.Provider;
  readonly releases: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: LocalFoundationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("platform:foundation:LocalFoundation", name, {}, opts);
    this.kubeconfig = pulumi.secret(args.kubeconfig);
    this.provider = new k8s.Provider(`${name}-k8s`, { kubeconfig: this.kubeconfig, context: args.context }, { parent: this });
    const { namespace } = namespaceWithQuota(`${name}-ns`, "platform-system", args.settings.quota, { parent: this, provider: this.provider }, args.namespaceDeleteTimeoutSeconds);
    const releases = layerReleases("foundation", namespace.metadata.name, { ...args, provider: this.provider }, this);
    this.clusterName = pulumi.output(args.clusterName);
    this.releases = releaseStatuses(releases);
    this.registerOutputs({ kubeconfig: this.kubeconfig, clusterName: this.clusterName, releases: this.releases });
  }
}
