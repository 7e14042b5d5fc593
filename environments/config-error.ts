/** One problem in an environment file: where, what was found, and what would be valid. */
export interface ConfigIssue {
  readonly file: string;
  /** Dotted field path, e.g. `layers.ingress.components.certManager.replicas`; empty for the whole file. */
  readonly path: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** Bad environment input; the program stops before any stack is touched. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(renderIssues(issues));
  }
}

/** How many problems a message lists; past that, a count, so a broken file does not print thousands of lines. */
export const SHOWN_ISSUES = 20;

export function renderIssues(issues: readonly ConfigIssue[]): string {
  const lines = issues.slice(0, SHOWN_ISSUES).map((issue) => {
    const where = issue.line !== undefined ? `${issue.file}:${issue.line}:${issue.column ?? 1}` : issue.file;
    return `${where}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
  });
  const hidden = issues.length - lines.length;
  if (hidden > 0) lines.push(`... and ${hidden} more problem${hidden === 1 ? "" : "s"}`);
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return `environment config has ${count}:\n  ${lines.join("\n  ")}\nfix the file(s) above and run again; nothing was deployed.`;
}

/** The valid key nearest to a misspelt one, when it is close enough to be a likely typo. */
export function closestKey(wrong: string, valid: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of valid) {
    const distance = editDistance(wrong.toLowerCase(), key.toLowerCase());
    if (!best || distance < best.distance) best = { key, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(wrong.length / 3)) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
