import { expect } from "chai";
import { planFleet, remainingRings, ringStates, type MemberOutcome } from "../../../orchestrator/plan/fleet";

const fleet = {
  name: "prod",
  file: "environments/prod.yaml",
  fleet: { members: ["prod-canary", "prod-eu", "prod-us"], rings: [["prod-canary"], ["prod-eu", "prod-us"]], rollback: "member" as const },
};

describe("fleet planning", () => {
  it("runs up and promotion ring by ring in declared order, canary first", () => {
    expect(planFleet(fleet, "up").rings).to.deep.equal([
      { ring: 0, members: ["prod-canary"] },
      { ring: 1, members: ["prod-eu", "prod-us"] },
    ]);
    expect(planFleet(fleet, "preview").rings.map((step) => step.ring)).to.deep.equal([0, 1]);
  });

  it("destroys in reverse ring order and keeps each ring's declared number", () => {
    expect(planFleet(fleet, "destroy").rings).to.deep.equal([
      { ring: 1, members: ["prod-eu", "prod-us"] },
      { ring: 0, members: ["prod-canary"] },
    ]);
  });

  it("does not reorder the fleet's own ring list when planning destroy", () => {
    planFleet(fleet, "destroy");
    expect(fleet.fleet.rings[0]).to.deep.equal(["prod-canary"]);
  });

  it("stops at the first failing ring and says why each later ring did not start", () => {
    const outcomes = new Map<string, MemberOutcome>([["prod-canary", "failed"]]);
    expect(ringStates(planFleet(fleet, "up"), outcomes)).to.deep.equal([
      { state: "failed", ring: 0, failed: ["prod-canary"] },
      { state: "not-started", ring: 1, reason: "ring 0 failed" },
    ]);
  });

  it("fails a ring when any one member fails and passes it when all succeed", () => {
    const outcomes = new Map<string, MemberOutcome>([
      ["prod-canary", "succeeded"],
      ["prod-eu", "succeeded"],
      ["prod-us", "failed"],
    ]);
    expect(ringStates(planFleet(fleet, "up"), outcomes)).to.deep.equal([
      { state: "passed", ring: 0 },
      { state: "failed", ring: 1, failed: ["prod-us"] },
    ]);
  });

  it("resumes with only the members not done, from the first unfinished ring", () => {
    const plan = planFleet(fleet, "up");
    expect(remainingRings(plan, new Set(["prod-canary", "prod-eu"]))).to.deep.equal([{ ring: 1, members: ["prod-us"] }]);
    expect(remainingRings(plan, new Set())).to.deep.equal(plan.rings);
    expect(remainingRings(plan, new Set(fleet.fleet.members))).to.deep.equal([]);
  });
});
