import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clusterLayout } from "../../tools/cluster/layout";
import { LocalCluster } from "../../tools/cluster/local-cluster";
import { freePort } from "../../tools/cluster/processes";

/** A throwaway local cluster on free loopback ports, in a temp dir removed by `dispose`. */
export interface TestCluster {
  readonly cluster: LocalCluster;
  readonly kubeconfigPath: string;
  readonly kubeconfig: string;
  readonly server: string;
  readonly token: string;
  dispose(): Promise<void>;
}

export function clusterBinDir(): string {
  const root = path.resolve(__dirname, "../..");
  const data = process.env.PLATFORM_DATA ?? path.join(root, ".platform");
  const file = path.join(data, "cluster-bin");
  const dir = process.env.PLATFORM_CLUSTER_BIN ?? (fs.existsSync(file) ? fs.readFileSync(file, "utf8").trim() : "");
  if (!dir || !fs.existsSync(path.join(dir, "kube-apiserver"))) {
    throw new Error("the local cluster binaries are not built; run `npm run setup` first");
  }
  return dir;
}

export async function startTestCluster(): Promise<TestCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-cluster-"));
  const ports = {
    apiserver: await freePort(),
    etcdClient: await freePort(),
    etcdPeer: await freePort(),
    controllerManager: await freePort(),
    scheduler: await freePort(),
    kwok: await freePort(),
  };
  const layout = clusterLayout(dir, clusterBinDir(), ports);
  const cluster = new LocalCluster(layout);
  try {
    await cluster.start();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    cluster,
    kubeconfigPath: layout.kubeconfig,
    kubeconfig: fs.readFileSync(layout.kubeconfig, "utf8"),
    server: cluster.server,
    token: cluster.adminToken()!,
    async dispose() {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
