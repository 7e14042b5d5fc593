import type { ClusterSizing, EnvironmentSpec, LayerSettings, NetworkSettings } from "../../environments/model";
import type { ChartSource } from "../chart-source";
import { valuesContextOf, type ValuesContext } from "../chart-values";

/** What a cloud foundation (AWS, Azure) takes: the same environment facts, whichever the cloud. */
export interface CloudFoundationArgs {
  readonly clusterName: string;
  /** AWS region or Azure location. */
  readonly region: string;
  readonly network: NetworkSettings;
  readonly cluster: ClusterSizing;
  readonly settings: LayerSettings;
  readonly chartSource: ChartSource;
  readonly valuesContext: ValuesContext;
}

/** The environment's facts as a cloud foundation takes them; `settings` may carry a promoted release. */
export function cloudFoundationArgs(env: EnvironmentSpec, settings: LayerSettings, chartSource: ChartSource): CloudFoundationArgs {
  const valuesContext = valuesContextOf(env);
  return { clusterName: valuesContext.clusterName, region: env.region, network: env.network, cluster: env.cluster, settings, chartSource, valuesContext };
}
