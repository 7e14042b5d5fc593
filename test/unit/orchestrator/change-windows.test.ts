import { expect } from "chai";
import type { ChangeWindows, WeeklyWindow } from "../../../environments/gates";
import { changeWindowVerdict, instantOf, localTime } from "../../../orchestrator/plan/change-windows";

const weekly = (over: Partial<WeeklyWindow>): WeeklyWindow => ({ name: "office-hours", days: ["mon", "tue", "wed", "thu"], start: "09:00", end: "17:00", timeZone: "Europe/Berlin", ...over });
const windows = (over: Partial<ChangeWindows>): ChangeWindows => ({ allow: [], deny: [], freezes: [], ...over });
const verdict = (w: ChangeWindows, iso: string) => changeWindowVerdict(w, new Date(iso));

describe("change windows", () => {
  it("allows every moment when no window or freeze is declared", () => {
    expect(verdict(windows({}), "2026-12-05T03:00:00Z").allowed).to.equal(true);
  });

  it("allows a change inside an allow window, read in the window's own time zone", () => {
    // 08:30 UTC on a Tuesday in winter is 09:30 in Berlin (UTC+1).
    const result = verdict(windows({ allow: [weekly({})] }), "2026-12-08T08:30:00Z");
    expect(result).to.deep.include({ allowed: true, reason: "inside allow window office-hours" });
  });

  it("refuses a change outside every allow window and says when the next one opens", () => {
    // Friday 12:00 Berlin: the next window is Monday 09:00 Berlin = 08:00 UTC.
    const result = verdict(windows({ allow: [weekly({})] }), "2026-12-11T11:00:00Z");
    expect(result.allowed).to.equal(false);
    if (result.allowed) return;
    expect(result.window).to.contain("outside every allow window (office-hours)");
    expect(result.opensAt?.toISOString()).to.equal("2026-12-14T08:00:00.000Z");
    expect(result.reason).to.contain("changes open at 2026-12-14T08:00:00.000Z");
  });

  it("follows daylight saving time: the same 09:00 Berlin opening is 07:00 UTC in summer", () => {
    const result = verdict(windows({ allow: [weekly({})] }), "2026-07-10T10:00:00Z");
    expect(result.allowed).to.equal(false);
    if (!result.allowed) expect(result.opensAt?.toISOString()).to.equal("2026-07-13T07:00:00.000Z");
  });

  it("opens at the right instant across a spring-forward change in the zone", () => {
    // New York moves from UTC-5 to UTC-4 on Sunday 2026-03-08; a window opening Monday 06:00 is then 10:00 UTC.
    const result = verdict(windows({ allow: [weekly({ days: ["mon"], start: "06:00", end: "07:00", timeZone: "America/New_York" })] }), "2026-03-07T12:00:00Z");
    expect(result.allowed).to.equal(false);
    if (!result.allowed) expect(result.opensAt?.toISOString()).to.equal("2026-03-09T10:00:00.000Z");
  });

  it("reads a wall time that a spring-forward gap skips as the moment after the gap", () => {
    expect(instantOf(2026, 3, 29, 2 * 60 + 30, "Europe/Berlin").toISOString()).to.equal("2026-03-29T01:30:00.000Z");
    expect(localTime(new Date("2026-03-29T01:30:00Z"), "Europe/Berlin").minutes).to.equal(3 * 60 + 30);
  });

  it("refuses inside a deny window that runs past midnight, on the day after it started", () => {
    const deny = weekly({ name: "friday-night", days: ["fri"], start: "18:00", end: "06:00", timeZone: "UTC" });
    const saturdayMorning = verdict(windows({ deny: [deny] }), "2026-12-12T05:00:00Z");
    expect(saturdayMorning).to.deep.include({ allowed: false, window: "deny window friday-night" });
    if (!saturdayMorning.allowed) expect(saturdayMorning.opensAt?.toISOString()).to.equal("2026-12-12T06:00:00.000Z");
    expect(verdict(windows({ deny: [deny] }), "2026-12-12T06:00:00Z").allowed).to.equal(true);
  });

  it("a dated freeze wins over an allow window and opens when the freeze ends in its zone", () => {
    const freeze = { name: "year-end", from: "2026-12-20", until: "2027-01-04T09:00", timeZone: "America/Los_Angeles" };
    const allowAll = weekly({ days: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], start: "00:00", end: "24:00", timeZone: "UTC" });
    const result = verdict(windows({ allow: [allowAll], freezes: [freeze] }), "2026-12-24T12:00:00Z");
    expect(result.allowed).to.equal(false);
    if (result.allowed) return;
    expect(result.window).to.equal("freeze year-end (2026-12-20 until 2027-01-04T09:00 America/Los_Angeles)");
    expect(result.opensAt?.toISOString()).to.equal("2027-01-04T17:00:00.000Z");
  });

  it("skips a next allow window that a freeze covers and names the first one really open", () => {
    const freeze = { name: "monday-off", from: "2026-12-14", until: "2026-12-15", timeZone: "Europe/Berlin" };
    const result = verdict(windows({ allow: [weekly({})], freezes: [freeze] }), "2026-12-11T11:00:00Z");
    if (!result.allowed) expect(result.opensAt?.toISOString()).to.equal("2026-12-15T08:00:00.000Z");
    expect(result.allowed).to.equal(false);
  });
});
