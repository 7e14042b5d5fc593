import { engineProcessesOf } from "./engine-processes";
import { addLocalEnvironment } from "./local-environment";
import { tempCheckout, type TempCheckout } from "./temp-checkout";
import { startTestCluster, type TestCluster } from "./test-cluster";

/** A test cluster and a checkout with a local environment on it, for one describe block. */
export interface ClusterCheckout {
  readonly cluster: TestCluster;
  readonly checkout: TempCheckout;
}

/**
 * Registers the describe block's before and after hooks: a cluster, a checkout with environment `env`
 * on it (`disabled` layers off), and their removal, with any engine process a run left. Read it in tests.
 */
export function useClusterCheckout(env: string, disabled: readonly string[] = []): () => ClusterCheckout {
  let cluster: TestCluster | undefined;
  let checkout: TempCheckout | undefined;
  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    await addLocalEnvironment(checkout, env, cluster.kubeconfigPath, disabled);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await cluster?.dispose();
  });
  return () => ({ cluster: cluster!, checkout: checkout! });
}
