import * as fs from "node:fs";
import * as path from "node:path";
import { COMPONENTS, ComponentName, ClusterLayout, ClusterPorts, componentArgs, componentKubeconfig } from "./layout";
import { DEFAULT_NODE_POOL, fakeNodeManifests, type FakeNodePool } from "./fake-nodes";
import { KubeClient } from "../../orchestrator/cluster/kube-client";
import { kubeconfigYaml, newClusterCredentials } from "./credentials";
import { healthy } from "./health";
import { isAlive, portInUse, spawnDetached, stopProcess, waitFor } from "./processes";

/** What `cluster.json` records about a started cluster. */
interface ClusterState {
  readonly pids: Partial<Record<ComponentName, number>>;
  readonly ports: ClusterPorts;
  readonly startedAt: string;
}

export type ClusterStatus =
  | { readonly state: "stopped" }
  | { readonly state: "running"; readonly server: string; readonly kubeconfig: string; readonly pids: Partial<Record<ComponentName, number>>; readonly startedAt: string }
  | { readonly state: "degraded"; readonly alive: ComponentName[]; readonly dead: ComponentName[] };

export class ClusterError extends Error {
  override readonly name = "ClusterError";
}

type Report = (line: string) => void;

export class LocalCluster {
  constructor(
    private readonly layout: ClusterLayout,
    private readonly report: Report = () => {},
    private readonly nodePool: FakeNodePool = DEFAULT_NODE_POOL,
  ) {}

  get server(): string {
    return `https://127.0.0.1:${this.layout.ports.apiserver}`;
  }

  async status(): Promise<ClusterStatus> {
    const state = this.readState();
    if (!state) return { state: "stopped" };
    const alive = COMPONENTS.filter((c) => state.pids[c] !== undefined && isAlive(state.pids[c]!));
    const dead = COMPONENTS.filter((c) => !alive.includes(c));
    if (alive.length === 0) return { state: "stopped" };
    if (dead.length > 0 || !(await healthy(`${this.server}/readyz`, this.adminToken()))) {
      return { state: "degraded", alive, dead };
    }
    return { state: "running", server: this.server, kubeconfig: this.layout.kubeconfig, pids: state.pids, startedAt: state.startedAt };
  }

  /** Idempotent: a healthy cluster is left alone; leftovers of a crashed one are cleared first. */
  async start(): Promise<void> {
    const current = await this.status();
    if (current.state === "running") {
      this.report(`cluster already running at ${this.server}`);
      return;
    }
    if (current.state === "degraded") {
      this.report(`found a half-running cluster (alive: ${current.alive.join(", ") || "none"}; dead: ${current.dead.join(", ")}); stopping it first`);
      await this.stop();
    } else if (this.readState()) {
      this.report("clearing the record of a cluster that is no longer running");
      fs.rmSync(this.layout.stateFile, { force: true });
    }
    this.checkBinaries();
    await this.checkPortsFree();
    this.ensureCredentials();
    const started = Date.now();
    const pids: Partial<Record<ComponentName, number>> = {};
    const record = () => this.writeState({ pids, ports: this.layout.ports, startedAt: new Date(started).toISOString() });
    try {
      pids.etcd = this.launch("etcd");
      record();
      await waitFor("etcd", () => healthy(`http://127.0.0.1:${this.layout.ports.etcdClient}/health`), 30_000);
      pids["kube-apiserver"] = this.launch("kube-apiserver");
      record();
      await waitFor("kube-apiserver /readyz", () => healthy(`${this.server}/readyz`, this.adminToken()), 90_000);
      this.writeKubeconfigs();
      pids["kube-controller-manager"] = this.launch("kube-controller-manager");
      record();
      await waitFor("kube-controller-manager", () => healthy(`https://127.0.0.1:${this.layout.ports.controllerManager}/healthz`), 60_000);
      pids["kube-scheduler"] = this.launch("kube-scheduler");
      pids.kwok = this.launch("kwok");
      record();
      await waitFor("kube-scheduler", () => healthy(`https://127.0.0.1:${this.layout.ports.scheduler}/healthz`), 60_000);
      await this.registerNodes();
    } catch (error) {
      await this.stop();
      throw new ClusterError(`${(error as Error).message}; logs are in ${this.layout.logDir}`);
    }
    this.report(`cluster started at ${this.server} in ${((Date.now() - started) / 1000).toFixed(1)}s; kubeconfig: ${this.layout.kubeconfig}`);
  }

  /** Idempotent: stops whatever of the cluster is still running; data stays for the next start. */
  async stop(): Promise<void> {
    const state = this.readState();
    if (!state) {
      this.report("cluster is not running");
      return;
    }
    for (const component of [...COMPONENTS].reverse()) {
      const pid = state.pids[component];
      if (pid !== undefined) await stopProcess(pid);
    }
    fs.rmSync(this.layout.stateFile, { force: true });
    this.report("cluster stopped");
  }

  adminToken(): string | undefined {
    if (!fs.existsSync(this.layout.tokenFile)) return undefined;
    return fs.readFileSync(this.layout.tokenFile, "utf8").split(",")[0];
  }

  private launch(component: ComponentName): number {
    fs.mkdirSync(this.layout.logDir, { recursive: true });
    const binary = path.join(this.layout.binDir, component);
    return spawnDetached(binary, componentArgs(this.layout, component), path.join(this.layout.logDir, `${component}.log`));
  }

  private checkBinaries(): void {
    const missing = COMPONENTS.filter((c) => !fs.existsSync(path.join(this.layout.binDir, c)));
    if (missing.length > 0) {
      throw new ClusterError(`${missing.join(", ")} not found in ${this.layout.binDir}; run \`npm run setup\` to build them`);
    }
  }

  private async checkPortsFree(): Promise<void> {
    const named = Object.entries(this.layout.ports) as [keyof ClusterPorts, number][];
    const busy: string[] = [];
    for (const [name, port] of named) if (await portInUse(port)) busy.push(`${port} (${name})`);
    if (busy.length > 0) {
      throw new ClusterError(
        `port ${busy.join(", ")} already in use by another process; find it with \`ss -ltnp\` and stop it, or pick other ports with PLATFORM_CLUSTER_PORT_BASE`,
      );
    }
  }

  private ensureCredentials(): void {
    if (fs.existsSync(this.layout.tokenFile) && fs.existsSync(this.layout.serviceAccountKey)) return;
    const credentials = newClusterCredentials();
    fs.mkdirSync(this.layout.certDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(this.layout.tokenFile, credentials.tokenCsv, { mode: 0o600 });
    fs.writeFileSync(this.layout.serviceAccountKey, credentials.serviceAccountKeyPem, { mode: 0o600 });
    fs.writeFileSync(this.layout.serviceAccountPublicKey, credentials.serviceAccountPublicKeyPem);
  }

  private writeKubeconfigs(): void {
    const token = this.adminToken()!;
    // kube-apiserver writes its self-signed serving certificate (with its CA) into --cert-dir.
    const certFile = path.join(this.layout.certDir, "apiserver.crt");
    const ca = fs.existsSync(certFile) ? fs.readFileSync(certFile, "utf8") : undefined;
    const kubeconfig = kubeconfigYaml(this.server, token, ca);
    fs.writeFileSync(this.layout.kubeconfig, kubeconfig, { mode: 0o600 });
    fs.writeFileSync(componentKubeconfig(this.layout), kubeconfig, { mode: 0o600 });
  }

  /** Registers the simulated nodes and waits until the scheduler may place pods on them. */
  private async registerNodes(): Promise<void> {
    const client = new KubeClient(this.server, this.adminToken()!);
    const nodes = fakeNodeManifests(this.nodePool) as { metadata: { name: string } }[];
    for (const node of nodes) await client.create("/api/v1/nodes", node);
    const schedulable = async (name: string) => {
      const node = await client.get<{ spec?: { taints?: unknown[] }; status?: { conditions?: { type: string; status: string }[] } }>(`/api/v1/nodes/${name}`);
      const ready = node?.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
      return ready && (node?.spec?.taints ?? []).length === 0;
    };
    await waitFor(`${nodes.length} simulated node(s) to become Ready`, async () => {
      for (const node of nodes) if (!(await schedulable(node.metadata.name))) return false;
      return true;
    }, 90_000);
  }

  private readState(): ClusterState | undefined {
    if (!fs.existsSync(this.layout.stateFile)) return undefined;
    try {
      return JSON.parse(fs.readFileSync(this.layout.stateFile, "utf8")) as ClusterState;
    } catch {
      return undefined;
    }
  }

  private writeState(state: ClusterState): void {
    fs.mkdirSync(this.layout.dir, { recursive: true });
    fs.writeFileSync(this.layout.stateFile, JSON.stringify(state, null, 2));
  }
}
