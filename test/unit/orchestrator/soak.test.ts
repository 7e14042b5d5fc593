import { expect } from "chai";
import type { RunRecord, StackOutcome } from "../../../orchestrator/model/run-record";
import { soakState } from "../../../orchestrator/plan/soak";
import { stackId } from "../../../orchestrator/model/stack";

const run = (finishedAt: string, outcome: StackOutcome, operation: RunRecord["operation"] = "up"): RunRecord => ({
  id: finishedAt,
  env: "staging",
  operation,
  startedAt: finishedAt,
  finishedAt,
  durationMs: 1,
  user: "u",
  host: "h",
  status: outcome.status === "failed" ? "failed" : "succeeded",
  stacks: [{ stack: stackId("ingress", "staging"), operation, outcome, durationMs: 1, attempts: 1, notes: [] }],
});
const changed: StackOutcome = { status: "succeeded", changes: { update: 2, same: 5 } };
const same: StackOutcome = { status: "succeeded", changes: { same: 7 } };
const failed: StackOutcome = { status: "failed", error: "boom" };
const HOUR = 3_600_000;
const now = new Date("2026-12-05T12:00:00Z");

describe("soak", () => {
  it("counts from the last up that changed the release, and is satisfied once the soak has passed", () => {
    const soak = soakState([run("2026-12-05T10:00:00Z", changed), run("2026-12-05T11:00:00Z", same)], ["ingress-staging"], HOUR, now);
    expect(soak).to.deep.include({ satisfied: true, healthySince: "2026-12-05T10:00:00Z", remainingMs: 0 });
  });

  it("says how long is left while the soak runs", () => {
    const soak = soakState([run("2026-12-05T11:45:00Z", changed)], ["ingress-staging"], HOUR, now);
    expect(soak).to.deep.include({ satisfied: false, remainingMs: 45 * 60_000 });
    expect(soak.reason).to.contain("2700s of the 3600s soak left");
  });

  it("stops the clock at a failed run, and restarts it at the next successful up", () => {
    const broken = soakState([run("2026-12-05T08:00:00Z", changed), run("2026-12-05T09:00:00Z", failed, "refresh")], ["ingress-staging"], HOUR, now);
    expect(broken).to.deep.include({ satisfied: false, remainingMs: HOUR });
    expect(broken.reason).to.contain("not healthy: ingress-staging refresh failed at 2026-12-05T09:00:00Z");
    const recovered = soakState([run("2026-12-05T08:00:00Z", changed), run("2026-12-05T09:00:00Z", failed), run("2026-12-05T11:30:00Z", same)], ["ingress-staging"], HOUR, now);
    expect(recovered).to.deep.include({ satisfied: false, healthySince: "2026-12-05T11:30:00Z", remainingMs: 30 * 60_000 });
  });

  it("ignores other stacks and previews, and needs nothing when no soak is set", () => {
    expect(soakState([run("2026-12-05T11:59:00Z", changed)], ["data-staging"], HOUR, now).reason).to.contain("no successful up recorded");
    expect(soakState([run("2026-12-05T11:59:00Z", failed, "preview")], ["ingress-staging"], 0, now).satisfied).to.equal(true);
  });
});
