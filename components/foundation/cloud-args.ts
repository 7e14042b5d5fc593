import type { ClusterSizing, LayerSettings, NetworkSettings } from "../../environments/model";
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
