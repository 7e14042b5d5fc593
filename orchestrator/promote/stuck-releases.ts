import type { EnvironmentSpec } from "../../environments/model";
import { openCluster } from "../cluster/cluster-access";
import type { StackId } from "../model/stack";
import { archiveFolders, chartFolders } from "../releases/chart-archives";
import { releaseRepairer } from "../releases/repair-releases";
import type { Workspace } from "../workspace/workspace";

/**
 * What a killed promotion left on the target's unsettled stacks, cleared before the target's
 * preview as an up clears it before it runs (the same repairer): the engine's stale stack lock and
 * pending operations, and Helm releases stuck pending, which Helm refuses to upgrade again. The
 * apply refreshes these stacks first, since a run on them never finished.
 */
export async function clearWhatAKilledRunLeft(workspace: Workspace, env: EnvironmentSpec, stacks: readonly StackId[], say: (line: string) => void): Promise<void> {
  for (const stack of stacks) {
    const recovered = await workspace.records.recover(stack);
    if (recovered) say(`  ${stack.name}: ${recovered}`);
  }
  const connection = await openCluster(env, workspace.root, workspace.engine).catch((error: Error) => ({ unavailable: error.message }));
  if (!("api" in connection)) return;
  try {
    const repair = releaseRepairer({ env, operation: "up", kubeconfig: connection.kubeconfigFile, client: connection.api, chartFolders: archiveFolders(env, workspace.root, chartFolders(workspace.root)) });
    for (const stack of stacks) for (const line of (await repair(stack)).repaired) say(`  ${stack.name}: ${line}`);
  } finally {
    connection.close();
  }
}
