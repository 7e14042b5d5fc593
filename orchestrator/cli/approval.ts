import * as os from "node:os";
import * as readline from "node:readline/promises";

export interface ApprovalFlags {
  readonly approve?: boolean;
  readonly approver?: string;
}

/**
 * How the approval gate gets its answer: explicit flags win (CI: --approve --approver <id>); on
 * a terminal outside CI, the person types the target's name; otherwise nobody approved.
 */
export function approvalSource(flags: ApprovalFlags, target: string, interactive = process.stdin.isTTY && process.env.CI !== "true") {
  return async (summary: string): Promise<{ approved: boolean; approver?: string }> => {
    if (flags.approve) return { approved: true, ...(flags.approver ? { approver: flags.approver } : {}) };
    if (!interactive) return { approved: false };
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      const answer = await prompt.question(`${summary}\nType "${target}" to approve, anything else to refuse: `);
      return answer.trim() === target ? { approved: true, approver: flags.approver ?? `${os.userInfo().username}@${os.hostname()} (interactive)` } : { approved: false };
    } finally {
      prompt.close();
    }
  };
}
