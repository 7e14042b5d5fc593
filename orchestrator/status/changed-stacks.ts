import type { Operation } from "../model/stack";
import { changedStacks } from "../run/changed-stacks";
import { SILENT_REPORTER } from "../run/progress";
import { unchangedFacts } from "../session/history-facts";
import { inRunSession } from "../session/run-session";
import type { Workspace } from "../workspace/workspace";

export interface ChangedRequest {
  readonly env: string;
  readonly operation: Operation;
  readonly layers?: readonly string[];
  readonly withDeps?: boolean;
}

/** The stacks an up would run, read from the backend and the history without a lock (`graph --changed`). */
export async function stacksToRun(workspace: Workspace, request: ChangedRequest): Promise<{ readonly env: string; readonly changed: string[] }> {
  return inRunSession(workspace, { ...request, lock: "none" }, SILENT_REPORTER, async (session) => ({
    env: session.env.name,
    changed: await changedStacks({ plan: session.plan, facts: await unchangedFacts(workspace, await session.facts()), concurrency: 4 }),
  }));
}
