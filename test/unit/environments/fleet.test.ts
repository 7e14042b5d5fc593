import { expect } from "chai";
import * as path from "node:path";
import { ConfigError, type ConfigIssue } from "../../../environments/config-error";
import { fleetMemberCandidates } from "../../../environments/fleet";
import { environmentProblem, environmentsOf, loadEnvironment } from "../../../environments/load";
import { environmentFiles } from "../../support/environment-files";

const corpus = path.resolve(__dirname, "../../fixtures/environments");

function issuesOf(name: string, dir: string): readonly ConfigIssue[] {
  try {
    loadEnvironment(name, { dir });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error(`${name} loaded without error`);
}

/** The problems of environment `name` in a folder whose fl.yaml declares `fleet` (YAML under `fleet:`). */
function fleetIssues(fleet: string, name = "fl", extra: Record<string, string> = {}): readonly ConfigIssue[] {
  const files = environmentFiles({ "fl.yaml": `extends: base\nregion: us-east-1\nfleet:\n${fleet}`, ...extra });
  try {
    return issuesOf(name, files.dir);
  } finally {
    files.dispose();
  }
}

describe("fleet declaration", () => {
  it("gives the fleet its members in ring order, canary first", () => {
    const fleet = loadEnvironment("fleet", { dir: corpus });
    expect(fleet.fleet).to.deep.equal({ members: ["fleet-canary", "fleet-eu", "fleet-us"], rings: [["fleet-canary"], ["fleet-eu", "fleet-us"]], rollback: "member" });
  });

  it("loads a member as a full environment that inherits the fleet file and applies its own overrides", () => {
    const eu = loadEnvironment("fleet-eu", { dir: corpus });
    const canary = loadEnvironment("fleet-canary", { dir: corpus });
    const us = loadEnvironment("fleet-us", { dir: corpus });
    expect(eu.name).to.equal("fleet-eu");
    expect(eu.region).to.equal("eu-west-1");
    expect(us.region).to.equal("us-east-1");
    expect(canary.cluster.desiredNodes).to.equal(2);
    expect(us.cluster.desiredNodes).to.equal(3);
    expect(canary.cluster.instanceType).to.equal(us.cluster.instanceType);
    expect(eu.fleet).to.equal(undefined);
    expect(eu.file).to.match(/fleet\.yaml$/);
  });

  it("accepts a member name where an environment is asked for and still refuses a name no fleet declares", () => {
    expect(environmentProblem("fleet-eu", { dir: corpus })).to.equal(undefined);
    expect(environmentProblem("fleet-asia", { dir: corpus })).to.match(/no environment "fleet-asia"/);
  });

  it("expands a fleet to its members in ring order for the commands that show each member, and leaves other names as they are", () => {
    expect(environmentsOf("fleet", { dir: corpus })).to.deep.equal(["fleet-canary", "fleet-eu", "fleet-us"]);
    expect(environmentsOf("valid", { dir: corpus })).to.deep.equal(["valid"]);
    expect(environmentsOf("gone-from-files", { dir: corpus })).to.deep.equal(["gone-from-files"]);
  });

  it("splits a dashed name into every fleet and member it could be, longest fleet first", () => {
    expect(fleetMemberCandidates("prod-eu-west")).to.deep.equal([
      { fleet: "prod-eu", member: "west" },
      { fleet: "prod", member: "eu-west" },
    ]);
    expect(fleetMemberCandidates("dev")).to.deep.equal([]);
  });

  it("names the fleet file and the member's field when a member override is invalid", () => {
    const issues = fleetIssues("  members:\n    eu: { cluster: { minNodes: -1 } }\n  rings: [[eu]]\n");
    expect(issues).to.have.length(1);
    expect(issues[0].file).to.match(/fl\.yaml$/);
    expect(issues[0].path).to.equal("fleet.members.eu.cluster.minNodes");
    expect(issues[0].line).to.equal(5);
    expect(issues[0].message).to.match(/^member eu: /);
  });

  it("reports a member's unknown key with a suggestion, at the member's path", () => {
    const issues = fleetIssues("  members:\n    eu: { regoin: eu-west-1 }\n  rings: [[eu]]\n", "fl-eu");
    expect(issues.map((issue) => issue.path)).to.deep.equal(["fleet.members.eu.regoin"]);
    expect(issues[0].message).to.include('did you mean "region"');
  });

  it("refuses rings that name an unknown member, repeat a member, or leave one out", () => {
    const issues = fleetIssues("  members:\n    canary: {}\n    eu: {}\n    us: {}\n  rings:\n    - [canary, eu]\n    - [eu, uss]\n");
    expect(issues.map((issue) => [issue.path, issue.message])).to.deep.equal([
      ["fleet.rings.1", "member eu is already in ring 0; a member belongs to one ring"],
      ["fleet.rings.1", '"uss" is not a member of this fleet; did you mean "us"? (members: canary, eu, us)'],
      ["fleet.rings", "member us in no ring; add each member to one ring"],
    ]);
  });

  it("refuses a fleet without members, and a member that sets extends or fleet", () => {
    expect(fleetIssues("  members: {}\n").map((issue) => issue.path)).to.deep.equal(["fleet.members"]);
    const nested = fleetIssues("  members:\n    eu: { extends: base, fleet: {} }\n  rings: [[eu]]\n");
    expect(nested.map((issue) => issue.path)).to.deep.equal(["fleet.members.eu.extends", "fleet.members.eu.fleet"]);
  });

  it("refuses a rollback other than member, ring or fleet", () => {
    const issues = fleetIssues("  members:\n    eu: {}\n  rings: [[eu]]\n  rollback: region\n");
    expect(issues.map((issue) => [issue.path, issue.message])).to.deep.equal([["fleet.rollback", "expected member, ring, fleet (what a failed member's promotion rolls back; member when omitted)"]]);
  });

  it("refuses a member whose environment name is already a file of its own", () => {
    const issues = fleetIssues("  members:\n    eu: {}\n  rings: [[eu]]\n", "fl", { "fl-eu.yaml": "extends: base\n" });
    expect(issues.map((issue) => issue.path)).to.deep.equal(["fleet.members.eu"]);
    expect(issues[0].message).to.include("fl-eu.yaml already is");
  });
});
