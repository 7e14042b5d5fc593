import type { GateSettings } from "./gates";
import type { LayerName } from "./layers";
import type { NotificationSettings } from "./notifications";

/**
 * The typed environment model every other part of the project reads. It is produced only by
 * environments/load.ts (zod, at the boundary); after that, code trusts these types.
 */
export type Target = "aws" | "azure" | "local";

/** Kubernetes quantities as Kubernetes writes them: cpu "250m" / "2", memory "512Mi" / "4Gi". */
export interface ResourceAmounts {
  readonly cpu: string;
  readonly memory: string;
}

export interface ResourceSettings {
  readonly requests: ResourceAmounts;
  readonly limits?: ResourceAmounts;
}

export interface ChartRef {
  /** Chart name in its repository, e.g. "cert-manager". */
  readonly name: string;
  /** Exact chart version; pinned, never a range. */
  readonly version: string;
  /** Upstream Helm repository URL; ignored when the environment uses a chart mirror. */
  readonly repository: string;
}

/** One deployable piece of a layer (emissary-ingress, Loki, Argo CD, ...). */
export interface ComponentSettings {
  readonly enabled: boolean;
  readonly chart: ChartRef;
  readonly replicas: number;
  readonly resources: ResourceSettings;
  /** Extra Helm values, merged over the ones the component computes. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface LayerSettings {
  readonly enabled: boolean;
  /** Layers this one needs; defaults to LAYER_DEPENDENCIES[layer]. */
  readonly dependsOn: readonly LayerName[];
  /** Namespace quota for the layer as a whole. */
  readonly quota: ResourceAmounts;
  readonly components: Readonly<Record<string, ComponentSettings>>;
}

export interface ClusterSizing {
  readonly kubernetesVersion: string;
  readonly instanceType: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly desiredNodes: number;
  readonly spot: boolean;
  /** Allocatable capacity of one node, for the capacity check. */
  readonly nodeAllocatable: ResourceAmounts;
  /** Wait for workloads to become ready (false where no kubelet runs pods, e.g. the local API server). */
  readonly awaitWorkloads: boolean;
  /** How long destroy waits for a layer's namespace to go; a namespace stuck Terminating fails its stack after this. */
  readonly namespaceDeleteTimeoutSeconds: number;
}

export interface NetworkSettings {
  readonly cidr: string;
  readonly availabilityZones: number;
}

export interface LocalClusterSettings {
  /** Path to the kubeconfig, relative to the repository root unless absolute. */
  readonly kubeconfig: string;
  readonly context?: string;
}

export interface ChartSourceSettings {
  /** Directory holding `<name>-<version>.tgz` archives or `<name>/` chart directories; when set, no repository is contacted. */
  readonly mirror?: string;
}

export interface PromotionSettings {
  readonly requiresApproval: boolean;
  /** The environment this one normally takes promotions from. */
  readonly promotesFrom?: string;
}

export interface EnvironmentSpec {
  readonly name: string;
  /** The file the environment was read from, for error messages. */
  readonly file: string;
  readonly target: Target;
  readonly region: string;
  readonly domain: string;
  readonly cluster: ClusterSizing;
  readonly network: NetworkSettings;
  readonly local?: LocalClusterSettings;
  readonly charts: ChartSourceSettings;
  readonly layers: Readonly<Record<LayerName, LayerSettings>>;
  readonly promotion: PromotionSettings;
  /** Where to send run, drift and promotion events; absent when nobody is told. */
  readonly notifications?: NotificationSettings;
  /** The most the environment may cost a month, in its price list's currency; an up or promotion above it is refused unless approved. */
  readonly budget?: { readonly monthly: number };
  /** Soak, metric checks and change windows (`gates:`); NO_GATES when the file has none. */
  readonly gates: GateSettings;
  /** Names of Pulumi secret config keys the environment needs (set with `pulumi config set --secret`). */
  readonly secrets: readonly string[];
  /** Present on a fleet: its members' environment names, ring by ring, canary first. */
  readonly fleet?: FleetSettings;
}

export interface FleetSettings {
  /** Member environment names (`<fleet>-<member>`), in ring order. */
  readonly members: readonly string[];
  readonly rings: readonly (readonly string[])[];
  /** What a failed member's promotion rolls back besides the member: its ring, or every member promoted. */
  readonly rollback: "member" | "ring" | "fleet";
}
