import type { Interrupts } from "../options/interrupts";

/** What every command is added with. */
export interface CommandContext {
  readonly interrupts: Interrupts;
}
