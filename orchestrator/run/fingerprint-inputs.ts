import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { LAYER_NAMES, stackName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import type { StackId } from "../model/stack";
import type { FingerprintInputs } from "./fingerprint";
import { programDigest } from "./program-digest";

export interface FingerprintSources {
  /** A stack's fingerprint inputs besides its upstream outputs. */
  readonly of: (stack: StackId) => Omit<FingerprintInputs, "upstream">;
  /** Every stack's full dependency list, including layers a subset leaves out. */
  readonly upstream: ReadonlyMap<string, readonly string[]>;
}

/** What decides each stack's result in this checkout: the program, the environment's settings, the config file. */
export function fingerprintSources(root: string, env: EnvironmentSpec): FingerprintSources {
  let program: string | undefined;
  return {
    of: (stack) => ({ program: (program ??= programDigest(root, env.charts.mirror ? [path.resolve(root, env.charts.mirror)] : [])), settings: stackSettings(root, env, stack), config: readConfigFile(root, stack) }),
    upstream: new Map(LAYER_NAMES.map((layer) => [stackName(layer, env.name), env.layers[layer].dependsOn.map((need) => stackName(need, env.name))])),
  };
}

/** What a stack's program reads of its environment: its settings and, for a local cluster, the kubeconfig file it reads. */
function stackSettings(root: string, env: EnvironmentSpec, stack: StackId): unknown {
  const { file: _file, layers, ...shared } = env;
  const kubeconfig = env.local?.kubeconfig ? path.resolve(root, env.local.kubeconfig) : undefined;
  const cluster = kubeconfig && fs.existsSync(kubeconfig) ? createHash("sha256").update(fs.readFileSync(kubeconfig)).digest("hex") : undefined;
  return { ...shared, layer: layers[stack.layer], ...(cluster ? { kubeconfigDigest: cluster } : {}) };
}

function readConfigFile(root: string, stack: StackId): string {
  const file = path.join(root, `Pulumi.${stack.name}.yaml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}
