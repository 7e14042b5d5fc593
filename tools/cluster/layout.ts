import * as path from "node:path";

/** Where one local cluster keeps its data, and the loopback ports it listens on. */
export interface ClusterLayout {
  readonly dir: string;
  readonly binDir: string;
  readonly etcdDataDir: string;
  readonly certDir: string;
  readonly logDir: string;
  readonly kubeconfig: string;
  readonly tokenFile: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
  readonly stateFile: string;
  readonly ports: ClusterPorts;
}

export interface ClusterPorts {
  readonly apiserver: number;
  readonly etcdClient: number;
  readonly etcdPeer: number;
  readonly controllerManager: number;
  readonly scheduler: number;
  readonly kwok: number;
}

export const DEFAULT_PORTS: ClusterPorts = {
  apiserver: 16443,
  etcdClient: 12379,
  etcdPeer: 12380,
  controllerManager: 10357,
  scheduler: 10359,
  kwok: 10347,
};

export function clusterLayout(dir: string, binDir: string, ports: ClusterPorts = DEFAULT_PORTS): ClusterLayout {
  return {
    dir,
    binDir,
    etcdDataDir: path.join(dir, "etcd"),
    certDir: path.join(dir, "pki"),
    logDir: path.join(dir, "logs"),
    kubeconfig: path.join(dir, "kubeconfig"),
    tokenFile: path.join(dir, "pki", "tokens.csv"),
    serviceAccountKey: path.join(dir, "pki", "sa.key"),
    serviceAccountPublicKey: path.join(dir, "pki", "sa.pub"),
    stateFile: path.join(dir, "cluster.json"),
    ports,
  };
}

export type ComponentName = "etcd" | "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kwok";
/** In start order; stop runs it backwards. */
export const COMPONENTS: readonly ComponentName[] = ["etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"];

/** kwok only simulates nodes that carry this annotation, so real nodes would be left alone. */
export const FAKE_NODE_ANNOTATION = "kwok.x-k8s.io/node";

export function componentKubeconfig(layout: ClusterLayout): string {
  return path.join(layout.dir, "components.kubeconfig");
}

/** Command lines for each control-plane process (envtest's flag set, plus the controller manager). */
export function componentArgs(layout: ClusterLayout, component: ComponentName): string[] {
  const { ports } = layout;
  const etcdUrl = `http://127.0.0.1:${ports.etcdClient}`;
  const apiserverKubeconfig = componentKubeconfig(layout);
  switch (component) {
    case "etcd":
      return [
        `--data-dir=${layout.etcdDataDir}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
        `--initial-advertise-peer-urls=http://127.0.0.1:${ports.etcdPeer}`,
        `--initial-cluster=default=http://127.0.0.1:${ports.etcdPeer}`,
        "--unsafe-no-fsync=true",
        "--log-level=warn",
      ];
    case "kube-apiserver":
      return [
        `--etcd-servers=${etcdUrl}`,
        `--cert-dir=${layout.certDir}`,
        `--secure-port=${ports.apiserver}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--allow-privileged=true",
        "--authorization-mode=RBAC",
        `--token-auth-file=${layout.tokenFile}`,
        "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
        `--service-account-key-file=${layout.serviceAccountPublicKey}`,
        `--service-account-signing-key-file=${layout.serviceAccountKey}`,
        "--disable-admission-plugins=ServiceAccount",
        "--v=1",
      ];
    case "kube-controller-manager":
      return [
        `--kubeconfig=${apiserverKubeconfig}`,
        `--authentication-kubeconfig=${apiserverKubeconfig}`,
        `--authorization-kubeconfig=${apiserverKubeconfig}`,
        `--service-account-private-key-file=${layout.serviceAccountKey}`,
        "--use-service-account-credentials=false",
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.controllerManager}`,
        // nodelifecycle stays on: it lifts the not-ready taint once kwok reports a node Ready.
        "--controllers=*,-nodeipam,-cloud-node-lifecycle,-service-lb-controller,-route",
        // Headroom for a busy 2-core machine: a late heartbeat must not mark every pod NotReady.
        "--node-monitor-grace-period=120s",
        "--v=1",
      ];
    case "kube-scheduler":
      return [
        `--kubeconfig=${apiserverKubeconfig}`,
        `--authentication-kubeconfig=${apiserverKubeconfig}`,
        `--authorization-kubeconfig=${apiserverKubeconfig}`,
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        `--secure-port=${ports.scheduler}`,
        "--v=1",
      ];
    case "kwok":
      return [
        `--kubeconfig=${apiserverKubeconfig}`,
        "--manage-all-nodes=false",
        `--manage-nodes-with-annotation-selector=${FAKE_NODE_ANNOTATION}=fake`,
        "--node-ip=127.0.0.1",
        `--node-port=${ports.kwok}`,
        `--server-address=127.0.0.1:${ports.kwok}`,
        "--cidr=10.0.1.0/24",
        // Node leases are the heartbeat the node lifecycle controller watches; without them nodes go Unknown.
        "--node-lease-duration-seconds=40",
      ];
  }
}
