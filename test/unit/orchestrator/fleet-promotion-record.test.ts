import { expect } from "chai";
import { promotedMembers, unfinishedFleetPromotion, type FleetPromotionEntry } from "../../../orchestrator/fleet/promotion-record";

const start = (id: string, source = "staging", fleet = "prod"): FleetPromotionEntry => ({ kind: "start", id, source, fleet, startedAt: "2026-12-05T16:00:00.000Z" });
const member = (id: string, name: string, result: "promoted" | "nothing-to-promote" | "rolled-back" | "failed"): FleetPromotionEntry => ({ kind: "member", id, member: name, result });

describe("fleet promotion record", () => {
  it("finds the newest promotion that has not reached its end into the fleet with the members it has done", () => {
    const entries = [start("a"), member("a", "prod-canary", "promoted"), member("a", "prod-eu", "nothing-to-promote"), member("a", "prod-us", "rolled-back")];
    const unfinished = unfinishedFleetPromotion(entries, "prod");
    expect(unfinished?.id).to.equal("a");
    expect([...unfinished!.done]).to.deep.equal(["prod-canary", "prod-eu"]);
  });

  it("has nothing to resume once the promotion reached its end, or for another fleet", () => {
    expect(unfinishedFleetPromotion([start("a"), { kind: "end", id: "a", result: "promoted" }], "prod")).to.equal(undefined);
    expect(unfinishedFleetPromotion([start("a", "staging", "edge")], "prod")).to.equal(undefined);
  });

  it("counts only the newest promotion's members, not an older one's", () => {
    const entries = [start("a"), member("a", "prod-canary", "promoted"), { kind: "end", id: "a", result: "superseded" } as const, start("b")];
    expect([...unfinishedFleetPromotion(entries, "prod")!.done]).to.deep.equal([]);
  });

  it("forgets a member that was done and then rolled back in a later attempt", () => {
    const entries = [start("a"), member("a", "prod-canary", "promoted"), member("a", "prod-canary", "rolled-back")];
    expect([...unfinishedFleetPromotion(entries, "prod")!.done]).to.deep.equal([]);
  });

  it("lists the members a promotion promoted and has not rolled back since, each with what puts it back", () => {
    const undo = (target: string) => ({ id: `p-${target}`, source: "staging", target, checkpoint: `/data/promotions/p-${target}`, stacks: [{ layer: "ingress" as const, stack: `ingress-${target}` }] });
    const entries: FleetPromotionEntry[] = [
      start("a"),
      { kind: "member", id: "a", member: "prod-canary", result: "promoted", undo: undo("prod-canary") },
      { kind: "member", id: "a", member: "prod-eu", result: "promoted", undo: undo("prod-eu") },
      { kind: "member", id: "a", member: "prod-us", result: "rolled-back" },
      member("a", "prod-eu", "rolled-back"),
      { kind: "member", id: "b", member: "prod-us", result: "promoted", undo: undo("prod-us") },
    ];
    const promoted = promotedMembers(entries, "a");
    expect([...promoted.keys()]).to.deep.equal(["prod-canary"]);
    expect(promoted.get("prod-canary")?.checkpoint).to.equal("/data/promotions/p-prod-canary");
  });
});
