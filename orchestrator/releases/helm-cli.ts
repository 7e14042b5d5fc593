import { execFile } from "node:child_process";

/** A release as the helm CLI addresses it. */
export interface ReleaseRef {
  readonly name: string;
  readonly namespace: string;
}

/**
 * `helm rollback <release> <revision>`: Helm writes a new revision from the given one and applies it;
 * with `force`, by replacing objects a three-way merge cannot put back.
 */
export function helmRollback(release: ReleaseRef, revision: number, kubeconfig: string, options: { force?: boolean } = {}): Promise<void> {
  return helm(["rollback", release.name, String(revision), "--namespace", release.namespace, ...(options.force ? ["--force"] : [])], kubeconfig);
}

/**
 * `helm uninstall --no-hooks`: hooks of a release that never finished installing cannot be trusted
 * to run (or, where pods are simulated, to end). No `--wait`: Helm waits until every object's name is
 * gone, and an aggregated ClusterRole the aggregation controller re-creates never is.
 */
export function helmUninstall(release: ReleaseRef, kubeconfig: string): Promise<void> {
  return helm(["uninstall", release.name, "--namespace", release.namespace, "--no-hooks"], kubeconfig);
}

/** Runs the helm on PATH; an error names the command, without the kubeconfig's path. */
function helm(args: readonly string[], kubeconfig: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile("helm", [...args, "--kubeconfig", kubeconfig], (error, _stdout, stderr) =>
      error ? reject(new Error(`\`helm ${args.join(" ")}\` failed: ${stderr.trim() || `exit ${error.code ?? error.signal}`}`)) : resolve(),
    );
  });
}
