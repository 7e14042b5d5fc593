import type { Interrupts } from "../interrupts";

/** What every command is added with. */
export interface CommandContext {
  readonly interrupts: Interrupts;
}
