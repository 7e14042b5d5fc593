import pLimit from "p-limit";
import type { RenderResult } from "../../orchestrator/releases/helm-template";
import { changedValue, withLeaf, type ValuesLeaf } from "./values-leaves";

/**
 * The leaves of `values` a chart ignores: changing the key and removing it both render exactly
 * what the values render as given. A render that fails on the changed value read the key too.
 */
export async function ignoredKeys(
  render: (values: Record<string, unknown>) => Promise<RenderResult>,
  values: Record<string, unknown>,
  leaves: readonly ValuesLeaf[],
): Promise<ValuesLeaf[]> {
  const baseline = await render(values);
  if (!baseline.ok) throw new Error(`the values do not render: ${baseline.error}`);
  const same = async (path: readonly string[], value: unknown) => {
    const result = await render(withLeaf(values, path, value));
    return result.ok && result.text === baseline.text;
  };
  const limit = pLimit(2);
  const verdicts = await Promise.all(leaves.map((leaf) => limit(async () => (await same(leaf.path, changedValue(leaf.value))) && (await same(leaf.path, undefined)))));
  return leaves.filter((_, index) => verdicts[index]);
}
