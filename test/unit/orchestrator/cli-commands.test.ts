import { expect } from "chai";
import { commandsFor } from "../../../orchestrator/cli/main";

describe("the CLI loads only the command it runs", () => {
  const all = ["up", "preview", "refresh", "destroy", "graph", "drift", "promote", "status", "history", "lock", "report", "dashboard", "metrics", "cost", "sbom"];

  it("registers only the command the command line names", () => {
    expect(commandsFor(["status", "--env", "dev"])).to.deep.equal(["status"]);
    expect(commandsFor(["graph", "--env", "dev", "--format", "dot"])).to.deep.equal(["graph"]);
  });

  it("registers every command for --help, no command, or an unknown one (so it can suggest the right name)", () => {
    expect(commandsFor(["--help"])).to.deep.equal(all);
    expect(commandsFor([])).to.deep.equal(all);
    expect(commandsFor(["stauts", "--env", "dev"])).to.deep.equal(all);
  });
});
