import * as fs from "node:fs";
import * as path from "node:path";
import { mirrorCandidates } from "../../components/chart-source";
import type { ChartRef, EnvironmentSpec } from "../../environments/model";

/** Where chart archives are looked for besides an environment's mirror: `$PLATFORM_CHART_SOURCE`, then `../shared/charts`. */
export function chartFolders(root: string): string[] {
  return [...(process.env.PLATFORM_CHART_SOURCE ? [process.env.PLATFORM_CHART_SOURCE] : []), path.resolve(root, "..", "shared", "charts")];
}

/** The environment's mirror, when it has one, before `others`. */
export function archiveFolders(env: EnvironmentSpec, root: string, others: readonly string[]): string[] {
  return [...(env.charts.mirror ? [path.resolve(root, env.charts.mirror)] : []), ...others];
}

/** The pinned chart's archive (or chart directory) in the first folder that holds it. */
export function findArchive(folders: readonly string[], chart: ChartRef): string | undefined {
  return folders.flatMap((dir) => mirrorCandidates(dir, chart)).find((candidate) => fs.existsSync(candidate));
}
