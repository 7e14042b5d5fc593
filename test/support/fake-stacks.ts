import type { StackConfig, StackOutputs } from "../../orchestrator/engine/stack-engine";
import type { Operation, StateMarker } from "../../orchestrator/model/stack";
import type { UnreadableState } from "../../orchestrator/model/unreadable-state";

export interface FakeBehaviour {
  /** Milliseconds the operation takes. */
  readonly delayMs?: number;
  /** Fail with this message. */
  readonly fail?: string;
  /** Fail this many times with a transient error first. */
  readonly transientFailures?: number;
  /** What an up leaves as the stack's outputs, instead of the usual endpoint and token. */
  readonly outputs?: StackOutputs;
  /** What recover() reports once. */
  readonly recoverNote?: string;
}

export interface FakeCall {
  readonly operation: Operation | "prepare" | "recover";
  readonly stack: string;
  /** When, as a place in the order of everything the fake saw (one counter for calls and finishes; not a time). */
  readonly at: number;
  readonly refresh?: boolean;
}

/** What the fake engine, config files and records share: stacks, config and markers in maps, and the calls made. Stands in for Pulumi only. */
export class FakeStacks {
  readonly calls: FakeCall[] = [];
  readonly deployed = new Map<string, StackOutputs>();
  readonly config = new Map<string, StackConfig>();
  /** The backend's marker per stack: written anew by every up, refresh and destroy. */
  readonly markers = new Map<string, StateMarker>();
  /** Stacks whose engine lock is held. */
  readonly locked = new Set<string>();
  /** Stacks whose state does not parse, as the backend's records report them. */
  readonly unreadable = new Map<string, UnreadableState>();
  /** Each stack's `encryptionsalt`, where a passphrase guards its secrets. */
  readonly salts = new Map<string, string>();
  private writes = 0;
  private events = 0;

  constructor(readonly behaviour: (stack: string, operation: Operation) => FakeBehaviour = () => ({})) {}

  /** The next place in the order of events: later events get larger numbers, however fast they come. */
  order(): number {
    return ++this.events;
  }

  /** What a write to the stack's state does to its marker (a kill midway, a hand-run pulumi command). */
  touch(name: string): void {
    this.writes += 1;
    if (this.deployed.has(name)) this.markers.set(name, { lastUpdate: new Date(Date.UTC(2026, 0, 1, 0, 0, this.writes)).toISOString(), resourceCount: 2 });
    else this.markers.delete(name);
  }
}
