import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { importableDeployment, stateFileSummaries, unreadableStateFiles, type StateFolder } from "../../../orchestrator/automation/state-files";
import { unreadableReasons, unreadableStateMessage } from "../../../orchestrator/session/unreadable-states";

const checkpoint = (time: string, resources: number) =>
  JSON.stringify({ version: 3, checkpoint: { stack: "organization/platform/x", latest: { manifest: { time }, resources: Array.from({ length: resources }, (_, i) => ({ urn: `u${i}` })) } } });

describe("state files of a file:// backend, read without the engine", () => {
  let root: string;
  let folder: StateFolder;
  const write = (relative: string, text: string | Buffer, mtime?: Date) => {
    const file = path.join(folder.dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    if (mtime) fs.utimesSync(file, mtime, mtime);
    return file;
  };
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "state-files-"));
    folder = { dir: path.join(root, ".pulumi"), project: "platform" };
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it("names only the stack whose file does not parse, with its good copies newest first", () => {
    write("stacks/platform/foundation-local.json", checkpoint("2026-12-05T05:00:00.123456789Z", 3));
    write("stacks/platform/ingress-local.json.gz", gzipSync(checkpoint("2026-12-05T05:00:00Z", 1)));
    const whole = checkpoint("2026-12-05T05:01:00Z", 4);
    const cut = write("stacks/platform/mesh-local.json", whole.slice(0, Math.floor(whole.length / 2)));
    const older = write("backups/platform/mesh-local/mesh-local.1764910800000000000.json", whole, new Date("2026-12-05T04:00:00Z"));
    const newer = write("backups/platform/mesh-local/mesh-local.1764914400000000000.json", whole, new Date("2026-12-05T05:00:00Z"));
    write("backups/platform/mesh-local/mesh-local.1764914500000000000.json", "{", new Date("2026-12-05T05:02:00Z"));
    const bak = write("stacks/platform/mesh-local.json.bak", whole, new Date("2026-12-05T04:30:00Z"));
    const history = write("history/platform/mesh-local/mesh-local-1764910000000000000.checkpoint.json", whole, new Date("2026-12-05T03:00:00Z"));
    write("history/platform/mesh-local/mesh-local-1764910000000000000.history.json", "{}", new Date("2026-12-05T06:00:00Z"));

    const found = unreadableStateFiles(folder, ["foundation-local", "ingress-local", "mesh-local", "never-deployed-local"]);
    expect(found.map((state) => state.stack)).to.deep.equal(["mesh-local"]);
    expect(found[0]!.file).to.equal(cut);
    expect(found[0]!.problem).to.match(/JSON/);
    expect(found[0]!.goodCopies.map((copy) => [copy.file, copy.kind])).to.deep.equal([
      [newer, "backup"],
      [bak, "bak"],
      [older, "backup"],
      [history, "history"],
    ]);
    expect(found[0]!.goodCopies[0]!.savedAt).to.equal("2026-12-05T05:00:00.000Z");
  });

  it("turns a good copy into the {version, deployment} document pulumi stack import reads", () => {
    const copy = write("backups/platform/mesh-local/mesh-local.1.json", checkpoint("2026-12-05T05:01:00Z", 2));
    const importable = importableDeployment(copy) as { version: number; deployment: { resources: unknown[] } };
    expect(importable.version).to.equal(3);
    expect(importable.deployment.resources).to.have.length(2);
  });

  it("lists every stack as pulumi stack ls does (last update as the CLI prints it, resource count), a broken one by name only", () => {
    write("stacks/platform/foundation-local.json", checkpoint("2026-12-05T05:00:00.123456789Z", 3));
    write("stacks/platform/mesh-local.json", "{\"version\": 3, \"checkp");
    write("stacks/platform/mesh-local.json.bak", checkpoint("2026-12-05T05:00:00Z", 3));
    expect(stateFileSummaries(folder)).to.deep.equal([
      { name: "foundation-local", current: false, updateInProgress: false, lastUpdate: "2026-12-05T05:00:00.123Z", resourceCount: 3 },
      { name: "mesh-local", current: false, updateInProgress: false },
    ]);
  });

  it("says where the good copies are and the import command; without one, what is left to do", () => {
    const restore = { file: "/data/recovery/mesh-local.json", command: "cd /repo && PULUMI_BACKEND_URL=file:///state pulumi stack import --stack mesh-local --file /data/recovery/mesh-local.json" };
    const copies = [1, 2, 3, 4].map((n) => ({ file: `/state/.pulumi/backups/platform/mesh-local/mesh-local.${n}.json`, kind: "backup" as const, savedAt: `2026-12-05T0${n}:00:00.000Z` }));
    const message = unreadableStateMessage({ stack: "mesh-local", file: "/state/.pulumi/stacks/platform/mesh-local.json", problem: "Unexpected end of JSON input", goodCopies: copies, restore });
    expect(message.split("\n")).to.deep.equal([
      "mesh-local: its state file /state/.pulumi/stacks/platform/mesh-local.json does not parse (Unexpected end of JSON input); nothing was run on it or written to it",
      `  last good copies, newest first: ${copies.slice(0, 3).map((c) => `${c.file} (backup, ${c.savedAt})`).join(", ")}, and 1 older`,
      `  restore the newest (written as stack import takes it): ${restore.command}`,
    ]);
    const bare = unreadableStateMessage({ stack: "mesh-local", file: "/state/.pulumi/stacks/platform/mesh-local.json", problem: "x", goodCopies: [] });
    expect(bare).to.match(/no good copy: .*pulumi stack rm --force --stack mesh-local/);
    expect([...unreadableReasons([{ stack: "mesh-local", file: "f", problem: "x", goodCopies: [] }]).keys()]).to.deep.equal(["mesh-local"]);
  });
});
