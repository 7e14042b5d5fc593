import * as path from "node:path";
import { stackName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import type { StackEngine } from "../engine/stack-engine";
import { stackId } from "../model/stack";
import { localClient, type ClusterApi } from "./kube-client";
import { KubectlClient } from "./kubectl-client";

/** How the orchestrator reaches an environment's cluster. */
export type ClusterAccess =
  | { readonly kind: "token"; readonly kubeconfigFile: string }
  | { readonly kind: "foundation-kubeconfig"; readonly stack: string; readonly output: "kubeconfig" };

/**
 * Local clusters are reached with the bearer token in their kubeconfig file; every other cluster
 * through the kubeconfig the foundation stack exports (a secret), with kubectl. Pure.
 */
export function clusterAccess(env: EnvironmentSpec, root: string): ClusterAccess {
  if (env.target === "local" && env.local) return { kind: "token", kubeconfigFile: path.resolve(root, env.local.kubeconfig) };
  return { kind: "foundation-kubeconfig", stack: stackName("foundation", env.name), output: "kubeconfig" };
}

/** An open connection to a cluster; `close` removes whatever it wrote. */
export interface ClusterConnection {
  readonly api: ClusterApi;
  /** A kubeconfig file for the helm CLI, 0600, gone after `close`; never read into a message. */
  readonly kubeconfigFile: string;
  close(): void;
}

/**
 * Opens the environment's cluster, or says why it cannot (no kubeconfig file, no foundation
 * stack, no output). The foundation's kubeconfig is read before a destroy removes the stack.
 */
export async function openCluster(env: EnvironmentSpec, root: string, engine: Pick<StackEngine, "outputs">): Promise<ClusterConnection | { readonly unavailable: string }> {
  const access = clusterAccess(env, root);
  if (access.kind === "token") {
    const api = localClient(access.kubeconfigFile);
    return api ? { api, kubeconfigFile: access.kubeconfigFile, close() {} } : { unavailable: `no kubeconfig with a token at ${access.kubeconfigFile}` };
  }
  const outputs = await engine.outputs(stackId("foundation", env.name)).catch(() => undefined);
  const value = outputs?.[access.output]?.value;
  if (value === undefined || value === null) return { unavailable: `${access.stack} has no ${access.output} output (not deployed)` };
  // AWS exports the kubeconfig as JSON, Azure and local as YAML; kubectl reads both.
  const client = new KubectlClient(typeof value === "string" ? value : JSON.stringify(value));
  return { api: client, kubeconfigFile: client.kubeconfigFile, close: () => client.dispose() };
}

/** The cluster, opened at the first `get` only: a run whose stacks are all skipped reads nothing. */
export function lazyCluster(env: EnvironmentSpec, root: string, engine: Pick<StackEngine, "outputs">) {
  let opened: Promise<ClusterConnection | { readonly unavailable: string }> | undefined;
  return {
    get: () => (opened ??= openCluster(env, root, engine).catch((error: Error) => ({ unavailable: error.message }))),
    close: () => void opened?.then((c) => ("api" in c ? c.close() : undefined)),
  };
}
