import * as path from "node:path";
import { mirrorContents } from "../../components/chart-source";
import type { EnvironmentSpec } from "../../environments/model";
import { PreflightError } from "../model/preflight-error";

/** Stops a run before anything deploys when the environment's chart mirror lacks a pinned chart version it installs. */
export function checkChartMirror(root: string, env: EnvironmentSpec): void {
  if (!env.charts.mirror) return;
  const missing = mirrorContents(env, path.resolve(root, env.charts.mirror)).filter((entry) => !entry.present);
  if (missing.length === 0) return;
  throw new PreflightError(
    `${env.file}: charts.mirror ${env.charts.mirror} lacks ${missing.map((m) => `${m.chart} ${m.version}${m.found ? ` (${m.found})` : ""}`).join(", ")}; ` +
      `fill it with \`npm run charts -- fill --env ${env.name} --from <folder of chart archives>\` (such as ../shared/charts), or \`--from upstream\` where the network allows`,
  );
}
