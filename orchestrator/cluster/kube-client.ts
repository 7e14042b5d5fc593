import * as fs from "node:fs";
import * as https from "node:https";
import { parse } from "yaml";

/** What the orchestrator reads and deletes on a cluster, whichever way it is reached. */
export interface ClusterApi {
  /** The object at `apiPath`, or undefined when the API answers 404. */
  get<T>(apiPath: string): Promise<T | undefined>;
  /** Deletes the object at `apiPath`; a missing one is fine. */
  delete(apiPath: string): Promise<void>;
}

/** The few Kubernetes API calls made over a bearer token: promotion checks workloads with it, the local cluster tool sets itself up with it. */
export class KubeClient implements ClusterApi {
  constructor(private readonly server: string, private readonly token: string) {}

  async create(apiPath: string, body: object): Promise<"created" | "exists"> {
    const { status, text } = await this.request("POST", apiPath, JSON.stringify(body));
    if (status === 201 || status === 200) return "created";
    if (status === 409) return "exists";
    throw new Error(`POST ${apiPath} answered ${status}: ${text.slice(0, 300)}`);
  }

  async get<T>(apiPath: string): Promise<T | undefined> {
    const { status, text } = await this.request("GET", apiPath);
    if (status === 404) return undefined;
    if (status !== 200) throw new Error(`GET ${apiPath} answered ${status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  async delete(apiPath: string): Promise<void> {
    const { status, text } = await this.request("DELETE", apiPath);
    if (status !== 200 && status !== 202 && status !== 404) throw new Error(`DELETE ${apiPath} answered ${status}: ${text.slice(0, 300)}`);
  }

  private request(method: string, apiPath: string, body?: string): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        `${this.server}${apiPath}`,
        {
          method,
          // The local API server's certificate is self-signed; this client only ever talks to loopback.
          rejectUnauthorized: false,
          headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json", Accept: "application/json" },
          timeout: 10_000,
        },
        (response) => {
          let text = "";
          response.on("data", (chunk) => (text += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
        },
      );
      request.on("error", reject);
      request.on("timeout", () => request.destroy(new Error(`${method} ${apiPath} timed out`)));
      request.end(body);
    });
  }
}

/** A client for a cluster whose kubeconfig holds a bearer token (the local cluster); undefined otherwise. */
export function localClient(kubeconfigFile: string): KubeClient | undefined {
  if (!fs.existsSync(kubeconfigFile)) return undefined;
  const config = parse(fs.readFileSync(kubeconfigFile, "utf8")) as { clusters?: { cluster: { server: string } }[]; users?: { user: { token?: string } }[] };
  const server = config.clusters?.[0]?.cluster.server;
  const token = config.users?.[0]?.user.token;
  return server && token ? new KubeClient(server, token) : undefined;
}
