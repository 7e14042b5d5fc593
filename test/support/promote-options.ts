import type { PromoteOptions } from "../../orchestrator/promote/promote";
import { SILENT_REPORTER } from "../../orchestrator/run/progress";

/** Options of a promotion from "valid" to "target" in unit tests: nothing approved, nothing printed; `changes` over them. */
export function promoteOptions(changes: Partial<PromoteOptions> = {}): PromoteOptions {
  return {
    source: "valid",
    target: "target",
    parallel: 2,
    policyPacks: [],
    verifyTimeoutMs: 1000,
    approve: async () => ({ approved: false }),
    reporter: SILENT_REPORTER,
    ...changes,
  };
}
