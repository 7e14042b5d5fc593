import type { StackId, StateMarker } from "../model/stack";
import type { LastUp } from "../history/stats";
import { stackFingerprint, type FingerprintInputs } from "./fingerprint";

export interface SkipFacts {
  readonly force: boolean;
  /** The fingerprint this up would run with. */
  readonly fingerprint: string;
  readonly last?: LastUp;
  /** The backend's marker of the stack's state now; undefined when the stack does not exist. */
  readonly marker?: StateMarker;
  /** A run started on this stack and never finished since its last success. */
  readonly interrupted: boolean;
  /** The engine's own stack lock is held. */
  readonly locked: boolean;
}

export type SkipDecision = { readonly skip: true } | { readonly skip: false; readonly why: string };

/**
 * An up may skip a stack only when nothing that decides its result changed since its last
 * successful up, and the backend shows no run wrote its state since. Local history alone never
 * justifies a skip. Pure.
 */
export function skipDecision(facts: SkipFacts): SkipDecision {
  if (facts.force) return { skip: false, why: "--force" };
  if (!facts.last) return { skip: false, why: "no successful up recorded" };
  if (facts.interrupted) return { skip: false, why: "a run on it was interrupted" };
  if (facts.locked) return { skip: false, why: "its stack lock is held" };
  if (!facts.marker) return { skip: false, why: "the stack is not in the backend" };
  if (!facts.last.stateMarker || !facts.last.outputsDigest) return { skip: false, why: "its last up predates state markers" };
  if (!sameMarker(facts.last.stateMarker, facts.marker)) return { skip: false, why: "its state was written since its last up" };
  if (facts.last.fingerprint !== facts.fingerprint) return { skip: false, why: "program, config or upstream outputs changed" };
  return { skip: true };
}

export interface UnchangedFacts {
  readonly of: (stack: StackId) => Omit<FingerprintInputs, "upstream">;
  readonly upstream: ReadonlyMap<string, readonly string[]>;
  readonly lastUps: ReadonlyMap<string, LastUp>;
  readonly markers: ReadonlyMap<string, StateMarker>;
  readonly interrupted: ReadonlySet<string>;
  readonly locked: (stack: StackId) => Promise<boolean>;
}

/**
 * True when an up of the stack would be skipped: then a program preview can only show nothing,
 * so a drift check needs only the refresh preview. Upstream digests come from history, valid
 * while the upstream's own state marker is unchanged.
 */
export async function provablyUnchanged(stack: StackId, facts: UnchangedFacts): Promise<boolean> {
  const upstream: Record<string, string> = {};
  for (const name of facts.upstream.get(stack.name) ?? []) {
    const digest = recordedOutputsDigest(facts.lastUps.get(name), facts.markers.get(name));
    if (digest === undefined) return false;
    upstream[name] = digest;
  }
  return skipDecision({
    force: false,
    fingerprint: stackFingerprint({ ...facts.of(stack), upstream }),
    last: facts.lastUps.get(stack.name),
    marker: facts.markers.get(stack.name),
    interrupted: facts.interrupted.has(stack.name),
    locked: await facts.locked(stack),
  }).skip;
}

/**
 * The outputs digest a stack's last up recorded, while the backend shows no run wrote its state
 * since; undefined when the outputs must be read from the engine. Pure.
 */
export function recordedOutputsDigest(last: LastUp | undefined, marker: StateMarker | undefined): string | undefined {
  return last?.outputsDigest && marker && sameMarker(last.stateMarker, marker) ? last.outputsDigest : undefined;
}

function sameMarker(a: StateMarker | undefined, b: StateMarker): boolean {
  return a !== undefined && a.lastUpdate === b.lastUpdate && a.resourceCount === b.resourceCount;
}
