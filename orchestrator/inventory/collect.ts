import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import pLimit from "p-limit";
import type { EnvironmentSpec } from "../../environments/model";
import { LAYER_NAMES, layerNamespace } from "../../environments/layers";
import { archiveFolders, findArchive } from "../releases/chart-archives";
import { helmTemplate } from "../releases/helm-template";
import { imagesInManifests } from "./images";
import type { ChartInventory, Inventory } from "./model";
import { npmPackages } from "./npm-packages";
import { installedValues } from "../releases/release-values";

export interface CollectOptions {
  readonly root: string;
  /** The helm binary; `helm` on PATH (setup builds one) unless given. */
  readonly helm?: string;
  /** Folders of chart archives tried after the environment's own mirror. */
  readonly chartFolders?: readonly string[];
  readonly say?: (line: string) => void;
}

/**
 * Renders every enabled component's chart with the values the environment gives it (`helm
 * template`, no cluster needed, so any environment works here) and reads the images from the
 * rendered objects; adds the project's npm packages from package-lock.json.
 */
export async function collectInventory(env: EnvironmentSpec, options: CollectOptions): Promise<Inventory> {
  const folders = archiveFolders(env, options.root, options.chartFolders ?? []);
  const installs = LAYER_NAMES.filter((layer) => env.layers[layer].enabled).flatMap((layer) =>
    Object.entries(env.layers[layer].components)
      .filter(([, settings]) => settings.enabled)
      .map(([component, settings]) => ({ layer, component, settings })),
  );
  // Helm is CPU-bound; two at a time suits the machines this runs on.
  const limit = pLimit(2);
  const charts = await Promise.all(
    installs.map(({ layer, component, settings }) =>
      limit(async (): Promise<ChartInventory> => {
        const base = { layer, component, chart: settings.chart, images: {} };
        const archive = findArchive(folders, settings.chart);
        if (!archive) {
          const problem = `no archive of ${settings.chart.name} ${settings.chart.version} in ${folders.join(", ") || "(no chart folder)"}`;
          options.say?.(`sbom: ${component}: ${problem}; its images are not listed (add the archive: helm pull ${settings.chart.repository}/${settings.chart.name} --version ${settings.chart.version})`);
          return { ...base, problem };
        }
        const sha = fs.statSync(archive).isFile() ? createHash("sha256").update(fs.readFileSync(archive)).digest("hex") : undefined;
        const values = installedValues(env, component, settings);
        try {
          const rendered = await helmTemplate(archive, settings.chart.name, layerNamespace(layer, env.target), values, { helm: options.helm, kubeVersion: `${env.cluster.kubernetesVersion}.0` });
          if (!rendered.ok) throw new Error(rendered.error);
          const manifests = rendered.text;
          const images: Record<string, string[]> = {};
          for (const use of imagesInManifests(manifests)) images[use.image] = [...new Set([...(images[use.image] ?? []), use.object])];
          return { ...base, archive, ...(sha ? { archiveSha256: sha } : {}), images };
        } catch (error) {
          const problem = `helm template failed: ${(error as Error).message.split("\n").find((line) => line.startsWith("Error")) ?? (error as Error).message.split("\n")[0]}`;
          options.say?.(`sbom: ${component}: ${problem}`);
          return { ...base, archive, ...(sha ? { archiveSha256: sha } : {}), problem };
        }
      }),
    ),
  );
  const pkg = JSON.parse(fs.readFileSync(path.join(options.root, "package.json"), "utf8")) as { name: string; version: string };
  const lock = JSON.parse(fs.readFileSync(path.join(options.root, "package-lock.json"), "utf8")) as Parameters<typeof npmPackages>[0];
  return { env: env.name, target: env.target, generatedAt: new Date().toISOString(), project: { name: pkg.name, version: pkg.version }, charts, npm: npmPackages(lock) };
}
