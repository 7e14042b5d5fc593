import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The `--policy-pack-config` files for an environment: `<pack>/config/<env>.json` where a pack has
 * one (it sets enforcement levels, e.g. the AWS rules advisory in dev and mandatory in prod). The
 * engine takes one config per pack or none, so packs without one get the `none.json` (`{}`) kept
 * beside the first config found.
 */
export function policyPackConfigs(packs: readonly string[], env: string): string[] | undefined {
  const configs = packs.map((pack) => path.join(pack, "config", `${env}.json`));
  const found = configs.find((file) => fs.existsSync(file));
  if (!found) return undefined;
  const empty = path.join(path.dirname(found), "none.json");
  if (!fs.existsSync(empty)) throw new Error(`${empty} is missing; it must hold {} for policy packs without a config for ${env}`);
  return configs.map((file) => (fs.existsSync(file) ? file : empty));
}

/** The policy options of a preview or an up: the packs, and their configs for the environment when any pack has one. */
export function policies(packs: readonly string[] = [], env: string): { policyPacks: string[]; policyPackConfigs?: string[] } {
  const configs = policyPackConfigs(packs, env);
  return { policyPacks: [...packs], ...(configs ? { policyPackConfigs: configs } : {}) };
}
