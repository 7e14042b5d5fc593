import * as path from "node:path";
import type { EnvironmentSpec } from "../../environments/model";
import type { StackEngine, StackOutputs } from "../engine/stack-engine";
import type { StackId } from "../model/stack";
import { KubeClient, localClient } from "../cluster/kube-client";

export interface VerifyResult {
  readonly passed: boolean;
  readonly checks: readonly { readonly stack: string; readonly passed: boolean; readonly reason: string }[];
}

interface DeploymentView {
  readonly metadata: { readonly name: string };
  readonly spec?: { readonly replicas?: number };
  readonly status?: { readonly availableReplicas?: number };
}

/** Why a Deployment is not healthy, or undefined when it is. Scaled to zero counts as unhealthy: the platform needs it running. Pure. */
export function deploymentProblem(deployment: DeploymentView): string | undefined {
  const wanted = deployment.spec?.replicas ?? 1;
  const available = deployment.status?.availableReplicas ?? 0;
  if (wanted < 1) return `${deployment.metadata.name} is scaled to 0`;
  if (available < wanted) return `${deployment.metadata.name} has ${available}/${wanted} available`;
  return undefined;
}

/** Problems in a stack's outputs: none at all, or a Helm release that is not deployed. Pure. */
export function outputProblems(outputs: StackOutputs): string[] {
  if (Object.keys(outputs).length === 0) return ["the stack has no outputs"];
  const releases = outputs.releases?.value as Record<string, string> | undefined;
  return Object.entries(releases ?? {})
    .filter(([, status]) => status !== "deployed")
    .map(([release, status]) => `release ${release} is ${status}`);
}

/**
 * After a deploy: every stack has its outputs and its releases are deployed; on a target whose
 * API we can reach with a token (local), every Deployment in the layer's namespace becomes
 * available within the timeout.
 */
export async function verifyTarget(engine: StackEngine, env: EnvironmentSpec, root: string, stacks: readonly StackId[], timeoutMs: number): Promise<VerifyResult> {
  const client = env.target === "local" && env.local ? localClient(path.resolve(root, env.local.kubeconfig)) : undefined;
  const checks = await Promise.all(
    stacks.map(async (stack) => {
      const outputs = await engine.outputs(stack).catch(() => ({}) as StackOutputs);
      const problems = outputProblems(outputs);
      const namespace = outputs.namespace?.value;
      if (problems.length === 0 && client && typeof namespace === "string") problems.push(...(await waitForDeployments(client, namespace, timeoutMs)));
      return { stack: stack.name, passed: problems.length === 0, reason: problems.length === 0 ? "outputs present, workloads healthy" : problems.join("; ") };
    }),
  );
  return { passed: checks.every((check) => check.passed), checks };
}

async function waitForDeployments(client: KubeClient, namespace: string, timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const list = await client.get<{ items: DeploymentView[] }>(`/apis/apps/v1/namespaces/${namespace}/deployments`);
    const problems = (list?.items ?? []).map(deploymentProblem).filter((p): p is string => p !== undefined);
    const hopeless = problems.some((p) => p.endsWith("scaled to 0"));
    if (problems.length === 0 || hopeless || Date.now() > deadline) return problems.map((p) => `${namespace}/${p}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
