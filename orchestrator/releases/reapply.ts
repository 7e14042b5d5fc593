import { helmRollback } from "./helm-cli";
import type { HelmRelease } from "./release-objects";

/**
 * Re-applies a release's current revision: Helm's three-way merge puts changed fields back and
 * recreates deleted objects, without changing what the release installs. A merge cannot undo every
 * edit (a Service port changed in place merges into a second port of the same name, which the API
 * refuses); then the revision is applied again with --force, which replaces the objects.
 */
export async function reapplyRelease(release: HelmRelease, kubeconfig: string): Promise<void> {
  try {
    await helmRollback(release, release.version, kubeconfig);
  } catch (merged) {
    await helmRollback(release, release.version, kubeconfig, { force: true }).catch((replaced: Error) => {
      throw new Error(`${(merged as Error).message}; with --force: ${replaced.message}`);
    });
  }
}
