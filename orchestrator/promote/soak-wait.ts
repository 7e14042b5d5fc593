import { setTimeout as delay } from "node:timers/promises";
import { formatDuration } from "../../environments/duration";
import { stackName, type LayerName } from "../../environments/layers";
import type { EnvironmentSpec } from "../../environments/model";
import { soakState, type SoakState } from "../plan/soak";
import type { Workspace } from "../workspace/workspace";

/** The soak of an environment's layers now, from the run history every machine shares. */
export async function currentSoak(workspace: Pick<Workspace, "history">, env: EnvironmentSpec, layers: readonly LayerName[], now = new Date()): Promise<SoakState> {
  const records = await workspace.history.read({ env: env.name });
  return soakState(records, layers.map((layer) => stackName(layer, env.name)), env.gates.requiredSoakMs, now);
}

const REPORT_EVERY_MS = 30_000;

/**
 * Waits until `env` has run its release healthy for its requiredSoak, saying the time left as it
 * goes; returns early (unsatisfied) when the soak cannot end by waiting (nothing healthy to soak)
 * or a run in the meantime restarted or stopped the clock. A ring runner calls this between rings.
 */
export async function waitForSoak(workspace: Pick<Workspace, "history">, env: EnvironmentSpec, layers: readonly LayerName[], options: { readonly say: (line: string) => void; readonly signal?: AbortSignal }): Promise<SoakState> {
  let soak = await currentSoak(workspace, env, layers);
  const since = soak.healthySince;
  while (!soak.satisfied && soak.healthySince !== undefined && soak.healthySince === since) {
    options.say(`soak ${env.name}: waiting, ${formatDuration(soak.remainingMs)} left of ${formatDuration(soak.requiredMs)} (healthy since ${soak.healthySince})`);
    await delay(Math.min(soak.remainingMs, REPORT_EVERY_MS), undefined, options.signal ? { signal: options.signal } : {});
    soak = await currentSoak(workspace, env, layers);
  }
  if (soak.satisfied) options.say(`soak ${env.name}: done, ${soak.reason}`);
  return soak;
}
