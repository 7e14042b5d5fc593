import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { blobJournals } from "../../../orchestrator/backend/blob-progress";
import { fileJournals, journalName, newestIds, parseJournal, type ProgressJournals } from "../../../orchestrator/history/progress-journal";
import type { RunStart } from "../../../orchestrator/model/run-record";
import { journaledView } from "../../../orchestrator/run/journaled-progress";
import { MemoryBlobStore } from "../../support/memory-blob-store";

const start = (id: string, env = "dev"): RunStart => ({ kind: "start", id, env, operation: "up", stacks: ["dev-foundation"], startedAt: "2026-12-01T10:00:00.000Z", user: "ci", host: "runner", pid: 42 });

describe("progress journal", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "journal-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("skips and counts lines that do not parse, a torn last line included", () => {
    const read = parseJournal(`{"kind":"note","at":"t","line":"a"}\nnot json\n42\n{"kind":"note","at":"t","line":"b"}\n{"kind":"sta`);
    expect(read.events.map((e) => (e.kind === "note" ? e.line : e.kind))).to.deep.equal(["a", "b"]);
    expect(read.skipped).to.equal(3);
  });

  it("takes the newest run ids from a listing alone, newest first, ignoring other files", () => {
    const names = ["2026-12-01T10-00-00-000Z-aaaa.jsonl", "2026-12-03T10-00-00-000Z-cccc.jsonl", "notes.txt", "2026-12-02T10-00-00-000Z-bbbb.jsonl"];
    expect(newestIds(names, 2)).to.deep.equal(["2026-12-03T10-00-00-000Z-cccc", "2026-12-02T10-00-00-000Z-bbbb"]);
  });

  it("refuses a name that would leave the journal folder", () => {
    for (const bad of ["../runs", "a/b", "..", "", "dev\u0000"]) expect(() => journalName(bad), bad).to.throw(/not an environment name or run id/);
    expect(journalName("dev-2")).to.equal("dev-2");
  });

  const backends: Array<[string, () => ProgressJournals]> = [
    ["file", () => fileJournals(dir)],
    ["blob", () => blobJournals(new MemoryBlobStore())],
  ];
  for (const [name, open] of backends) {
    it(`${name}: appends a run's events in order after its start and lists the run under its environment`, async () => {
      const journals = open();
      const writer = await journals.open(start("2026-12-01T10-00-00-000Z-aaaa"));
      writer.write({ kind: "stack", at: "2026-12-01T10:00:01.000Z", progress: { stack: "dev-foundation", state: "running", elapsedMs: 0, resourcesDone: 0 } });
      writer.write({ kind: "note", at: "2026-12-01T10:00:02.000Z", line: "retrying" });
      await writer.close();
      expect(await journals.environments()).to.deep.equal(["dev"]);
      expect(await journals.recent("dev", 5)).to.deep.equal(["2026-12-01T10-00-00-000Z-aaaa"]);
      const read = await journals.read("dev", "2026-12-01T10-00-00-000Z-aaaa");
      expect(read.events.map((e) => e.kind)).to.deep.equal(["start", "stack", "note"]);
      expect(read.skipped).to.equal(0);
    });
  }

  it("masks secret values in the journal while the live view still gets them", async () => {
    const journals = fileJournals(dir);
    const writer = await journals.open(start("r1"));
    const seen: string[] = [];
    const view = journaledView({ update: (p) => seen.push(p.detail ?? ""), note: (line) => seen.push(line), close() {} }, writer, ["hunter2-canary"]);
    view.update({ stack: "dev-foundation", state: "failed", elapsedMs: 5, resourcesDone: 1, detail: "bad password hunter2-canary" });
    view.note("dev-foundation: token hunter2-canary refused");
    const text = fs.readFileSync(path.join(dir, "dev", "r1.jsonl"), "utf8");
    expect(text).not.to.contain("hunter2-canary");
    expect(text).to.contain("[secret]");
    expect(seen).to.deep.equal(["bad password hunter2-canary", "dev-foundation: token hunter2-canary refused"]);
  });
});
