import type { ClusterSizing, EnvironmentSpec, LayerSettings, NetworkSettings } from "../../environments/model";
import type { ChartSource } from "../chart-source";

/** What a cloud foundation (AWS, Azure) takes: the same environment facts, whichever the cloud. */
export interface CloudFoundationArgs {
  readonly clusterName: string;
  /** AWS region or Azure location. */
  readonly region: string;
  readonly network: NetworkSettings;
  readonly cluster: ClusterSizing;
  readonly settings: LayerSettings;
  readonly chartSource: ChartSource;
}

/** The environment's facts as a cloud foundation takes them; `settings` may carry a promoted release. */
export function cloudFoundationArgs(env: EnvironmentSpec, settings: LayerSettings, chartSource: ChartSource): CloudFoundationArgs {
  return { clusterName: `platform-${env.name}`, region: env.region, network: env.network, cluster: env.cluster, settings, chartSource };
}
