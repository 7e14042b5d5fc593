import { LAYER_NAMES, stackName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import { applyRelease, parseRelease, RELEASE_CONFIG_KEY, type LayerRelease } from "../../environments/release";
import { PreflightError } from "../model/preflight-error";
import type { StackPromotion } from "../model/promotion-report";
import { stackId } from "../model/stack";
import type { Workspace } from "../workspace/workspace";

/** Each stack's release as its config holds it, for the given environments. */
export async function currentReleases(workspace: Workspace, envs: readonly EnvironmentSpec[]): Promise<Map<string, LayerRelease>> {
  const releases = new Map<string, LayerRelease>();
  for (const env of envs) {
    for (const layer of LAYER_NAMES) {
      const name = stackName(layer, env.name);
      const raw = await workspace.configFiles.configValue(stackId(layer, env.name), RELEASE_CONFIG_KEY);
      if (raw !== undefined) releases.set(name, releaseFromConfig(raw, name));
    }
  }
  return releases;
}

/** A stack's release config; one that does not parse is bad input (exit 3), found before any engine call. */
function releaseFromConfig(raw: string, name: string): LayerRelease {
  try {
    return parseRelease(JSON.parse(raw), name);
  } catch (error) {
    const message = (error as Error).message;
    throw new PreflightError(message.startsWith("stack config") ? message : `stack config platform:release of ${name}: not JSON (${message}); fix it with \`pulumi config set release '<json>' --stack ${name}\` or remove it`);
  }
}

/** The environment as it would be with the promoted releases applied. Pure. */
export function withReleases(env: EnvironmentSpec, stacks: readonly StackPromotion[]): EnvironmentSpec {
  const layers = { ...env.layers };
  for (const stack of stacks) layers[stack.layer] = applyRelease(layers[stack.layer], stack.after);
  return { ...env, layers };
}
