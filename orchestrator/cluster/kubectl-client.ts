import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ClusterApi } from "./kube-client";

/**
 * The cluster API through `kubectl --kubeconfig <file> get|delete --raw <path>`: kubectl runs the
 * exec plugins cloud kubeconfigs name for their credentials (aws eks get-token, kubelogin), which
 * a plain HTTPS client could not. The kubeconfig is written owner-only into the run's private
 * temp directory and removed by `dispose` (the directory goes at exit anyway).
 */
export class KubectlClient implements ClusterApi {
  private readonly dir: string;
  private readonly file: string;

  constructor(kubeconfig: string, private readonly kubectl = "kubectl", parent = os.tmpdir()) {
    this.dir = fs.mkdtempSync(path.join(parent, "kubeconfig-"));
    fs.chmodSync(this.dir, 0o700);
    this.file = path.join(this.dir, "config");
    fs.writeFileSync(this.file, kubeconfig, { mode: 0o600 });
  }

  /** Where the kubeconfig lies while the client is open (for tests of its mode). */
  get kubeconfigFile(): string {
    return this.file;
  }

  async get<T>(apiPath: string): Promise<T | undefined> {
    const { ok, stdout, stderr } = await this.run(["get", "--raw", apiPath]);
    if (ok) return JSON.parse(stdout) as T;
    if (notFound(stderr)) return undefined;
    throw new Error(`GET ${apiPath} through kubectl failed: ${firstLine(stderr)}`);
  }

  async delete(apiPath: string): Promise<void> {
    const { ok, stderr } = await this.run(["delete", "--raw", apiPath]);
    if (!ok && !notFound(stderr)) throw new Error(`DELETE ${apiPath} through kubectl failed: ${firstLine(stderr)}`);
  }

  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private run(args: readonly string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(this.kubectl, ["--kubeconfig", this.file, "--request-timeout", "20s", ...args], { maxBuffer: 1 << 28, timeout: 60_000 }, (error, stdout, stderr) =>
        resolve({ ok: !error, stdout, stderr: stderr || (error ? error.message : "") }),
      );
    });
  }
}

function notFound(stderr: string): boolean {
  return /\(NotFound\)|the server could not find the requested resource/.test(stderr);
}

function firstLine(text: string): string {
  return (text.trim().split("\n")[0] ?? "").slice(0, 300);
}
