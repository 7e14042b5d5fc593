import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_SOURCE } from "./chart-source";
import type { TempCheckout } from "./temp-checkout";

/**
 * Adds environment `name` to a checkout: the local blueprint on the given cluster, its mirror filled
 * with the real charts. `disabled` layers are turned off, for tests that need fewer stacks.
 */
export async function addLocalEnvironment(checkout: TempCheckout, name: string, kubeconfigPath: string, disabled: readonly string[] = []): Promise<void> {
  const layers = disabled.length > 0 ? `layers:\n${disabled.map((layer) => `  ${layer}: { enabled: false }\n`).join("")}` : "";
  fs.writeFileSync(path.join(checkout.dir, "environments", `${name}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${kubeconfigPath}\n${layers}`);
  const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", name, "--from", CHART_SOURCE]);
  if (charts.code !== 0) throw new Error(`filling the chart mirror for ${name}: ${charts.stderr}`);
}
