import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_PORTS, clusterLayout, type ClusterPorts } from "./layout";
import { LocalCluster } from "./local-cluster";

/** The checkout's own local cluster: its data dir, built binaries and ports (PLATFORM_CLUSTER_PORT_BASE moves them). */
export function defaultCluster(json: boolean): LocalCluster {
  const data = process.env.PLATFORM_DATA ?? path.resolve(__dirname, "../../.platform");
  const binFile = path.join(data, "cluster-bin");
  const binDir = process.env.PLATFORM_CLUSTER_BIN ?? (fs.existsSync(binFile) ? fs.readFileSync(binFile, "utf8").trim() : "");
  const base = process.env.PLATFORM_CLUSTER_PORT_BASE;
  const ports: ClusterPorts = base
    ? { apiserver: +base, etcdClient: +base + 1, etcdPeer: +base + 2, controllerManager: +base + 3, scheduler: +base + 4, kwok: +base + 5 }
    : DEFAULT_PORTS;
  const report = json ? () => {} : (line: string) => console.log(`[cluster] ${line}`);
  return new LocalCluster(clusterLayout(path.join(data, "cluster"), binDir, ports), report);
}

