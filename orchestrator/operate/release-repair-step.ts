import { lazyCluster } from "../cluster/cluster-access";
import { archiveFolders, chartFolders } from "../releases/chart-archives";
import { releaseRepairer } from "../releases/repair-releases";
import type { StackStep } from "../run/stack-step";
import type { RunSession } from "../session/run-session";

/**
 * Before an up or a destroy acts on a stack, the Helm releases a killed run left stuck are
 * repaired. The cluster is opened when the first stack that runs asks; without one, nothing is repaired.
 */
export function releaseRepairStep(session: RunSession, operation: "up" | "destroy"): StackStep & { close(): void } {
  const { env, workspace } = session;
  const cluster = lazyCluster(env, workspace.root, workspace.engine);
  let repairer: ReturnType<typeof releaseRepairer> | undefined;
  return {
    async before(stack) {
      const connection = await cluster.get();
      if (!("api" in connection)) return { notes: [] };
      repairer ??= releaseRepairer({ env, operation, kubeconfig: connection.kubeconfigFile, client: connection.api, chartFolders: archiveFolders(env, workspace.root, chartFolders(workspace.root)) });
      const repair = await repairer(stack);
      return {
        notes: repair.repaired,
        ...(repair.unchecked ? { unchecked: repair.unchecked } : {}),
        ...(repair.repaired.length > 0 ? { reconcile: "a Helm release of it was repaired" } : {}),
      };
    },
    close: () => cluster.close(),
  };
}
