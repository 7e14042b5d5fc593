import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentSpec } from "../../environments/model";
import type { StackId } from "../engine";
import { LAYER_NAMES, stackName } from "../layers";
import type { FingerprintInputs } from "./fingerprint";
import { programDigest } from "./program-digest";

/** Every stack's full dependency list, including layers a subset leaves out. */
export function upstreamOf(env: EnvironmentSpec): Map<string, string[]> {
  return new Map(LAYER_NAMES.map((layer) => [stackName(layer, env.name), env.layers[layer].dependsOn.map((need) => stackName(need, env.name))]));
}

/** A stack's fingerprint inputs besides its upstream outputs: the program, what it reads of its environment, its config file. */
export function fingerprintInputs(root: string, env: EnvironmentSpec): (stack: StackId) => Omit<FingerprintInputs, "upstream"> {
  const program = programDigest(root, env.charts.mirror ? [path.resolve(root, env.charts.mirror)] : []);
  return (stack) => ({ program, settings: stackSettings(env, stack), config: readConfigFile(root, stack) });
}

function stackSettings(env: EnvironmentSpec, stack: StackId): unknown {
  const { file: _file, layers, ...shared } = env;
  return { ...shared, layer: layers[stack.layer] };
}

function readConfigFile(root: string, stack: StackId): string {
  const file = path.join(root, `Pulumi.${stack.name}.yaml`);
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
}
