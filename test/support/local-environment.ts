import * as fs from "node:fs";
import * as path from "node:path";
import type { TempCheckout } from "./temp-checkout";

/** Adds environment `name` to a checkout: the local blueprint on the given cluster, with stand-in charts in its mirror. */
export async function addLocalEnvironment(checkout: TempCheckout, name: string, kubeconfigPath: string): Promise<void> {
  fs.writeFileSync(path.join(checkout.dir, "environments", `${name}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${kubeconfigPath}\n`);
  const charts = await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "stand-ins", "--env", name]);
  if (charts.code !== 0) throw new Error(`stand-in charts for ${name}: ${charts.stderr}`);
}
