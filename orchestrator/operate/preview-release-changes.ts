import * as path from "node:path";
import { localClient } from "../cluster/kube-client";
import type { ResourceChange } from "../model/changes";
import { formatReleaseChanges, releaseChanges } from "../releases/release-changes";
import type { RunSession } from "../session/run-session";

/**
 * After a preview: per stack, the objects and fields a values change alters inside its releases,
 * said as lines. Only where the chart mirror and the API are at hand (local); undefined elsewhere or on error.
 */
export async function previewReleaseChanges({ env, workspace, plan, reporter }: RunSession): Promise<Record<string, readonly ResourceChange[]> | undefined> {
  const kubeconfig = env.target === "local" && env.local ? path.resolve(workspace.root, env.local.kubeconfig) : undefined;
  const client = kubeconfig ? localClient(kubeconfig) : undefined;
  if (!client || !env.charts.mirror) return undefined;
  const changes = await releaseChanges(client, env, path.resolve(workspace.root, env.charts.mirror), plan.stacks).catch(() => undefined);
  if (!changes) return undefined;
  if (changes.size > 0) reporter.say(formatReleaseChanges(changes));
  return Object.fromEntries(changes);
}
