/** A copy of a stack's state that parses, kept by the engine beside or behind the state file. */
export interface GoodStateCopy {
  readonly file: string;
  /** `backup`: the engine's copy before each write (`.pulumi/backups`); `bak`: the one beside the file; `history`: an update's checkpoint. */
  readonly kind: "backup" | "bak" | "history";
  readonly savedAt: string;
}

/** A stack whose state file does not parse: the engine refuses every command on it, `stack ls` included. */
export interface UnreadableState {
  readonly stack: string;
  readonly file: string;
  /** Why it does not parse, in the parser's words. */
  readonly problem: string;
  /** Copies that parse, newest first. */
  readonly goodCopies: readonly GoodStateCopy[];
  /** The newest good copy as `pulumi stack import` takes it, and the command that imports it; absent without a good copy. */
  readonly restore?: { readonly file: string; readonly command: string };
}
