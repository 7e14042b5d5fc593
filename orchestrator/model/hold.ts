/** An environment held after a rollback: promotions into it are refused until a person releases it. */
export interface Hold {
  readonly env: string;
  readonly since: string;
  /** Why it is held: the rollback that placed it, or the reason given to `promote hold`. */
  readonly reason: string;
  /** `rollback` when a promotion rolled back on its own; `manual` for `promote hold`. */
  readonly placedBy: "rollback" | "manual";
  /** The promotion whose rollback placed it. */
  readonly promotion?: string;
}

/** Where holds live: beside the run history, in this checkout or the shared backend. */
export interface EnvironmentHolds {
  readonly where: string;
  read(env: string): Promise<Hold | undefined>;
  place(hold: Hold): Promise<void>;
  /** Removes the hold; returns what was removed, undefined when none was there. */
  release(env: string): Promise<Hold | undefined>;
}
