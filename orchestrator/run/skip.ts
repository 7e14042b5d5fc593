import type { StateMarker } from "../engine";
import type { LastUp } from "../history/stats";

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
  if (facts.last.stateMarker.lastUpdate !== facts.marker.lastUpdate || facts.last.stateMarker.resourceCount !== facts.marker.resourceCount) {
    return { skip: false, why: "its state was written since its last up" };
  }
  if (facts.last.fingerprint !== facts.fingerprint) return { skip: false, why: "program, config or upstream outputs changed" };
  return { skip: true };
}
