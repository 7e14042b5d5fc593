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

/**
 * How destroy --purge-crds is confirmed once its warning is known: --yes confirms, a person on a
 * terminal types "purge"; the warning is shown either way.
 */
export function purgeConfirmation(flags: { readonly yes?: boolean }, interactive = process.stdin.isTTY && process.env.CI !== "true") {
  return async (warning: string): Promise<boolean> => {
    process.stderr.write(`${warning}\n`);
    if (flags.yes) return true;
    if (!interactive) return false;
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
    try {
      return (await prompt.question('Type "purge" to delete these CRDs and their custom resources, anything else to keep them: ')).trim() === "purge";
    } finally {
      prompt.close();
    }
  };
}
