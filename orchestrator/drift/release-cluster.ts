import type { EnvironmentSpec } from "../../environments/model";
import { openCluster, type ClusterConnection } from "../cluster/cluster-access";
import type { RunReporter } from "../run/progress";
import type { Workspace } from "../workspace/workspace";

/** The cluster whose releases' objects are compared: local by its token, any other through the foundation's kubeconfig. */
export async function releaseCluster(workspace: Workspace, env: EnvironmentSpec, reporter: RunReporter): Promise<ClusterConnection | undefined> {
  const opened = await openCluster(env, workspace.root, workspace.engine).catch((error: Error) => ({ unavailable: error.message }));
  if ("api" in opened) return opened;
  reporter.say(`objects inside Helm releases are not compared: ${env.name}'s cluster cannot be reached (${opened.unavailable})`);
  return undefined;
}
