import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { blobHolds } from "../../../orchestrator/backend/blob-holds";
import { fileHolds } from "../../../orchestrator/history/holds";
import type { EnvironmentHolds, Hold } from "../../../orchestrator/model/hold";
import { MemoryBlobStore } from "../../support/memory-blob-store";

const hold: Hold = { env: "prod", since: "2026-12-05T10:00:00.000Z", reason: "promotion p-1 from staging rolled back: a metric check failed", placedBy: "rollback", promotion: "p-1" };

const backends: [string, () => { holds: EnvironmentHolds; dispose(): void }][] = [
  [
    "a file:// checkout",
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "holds-"));
      return { holds: fileHolds(dir), dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  ["a shared blob backend", () => ({ holds: blobHolds(new MemoryBlobStore()), dispose: () => {} })],
];

describe("holds", () => {
  for (const [where, open] of backends) {
    it(`in ${where}: a placed hold is read back until it is released, and a second hold replaces the first`, async () => {
      const { holds, dispose } = open();
      try {
        expect(await holds.read("prod")).to.equal(undefined);
        await holds.place(hold);
        expect(await holds.read("prod")).to.deep.equal(hold);
        expect(await holds.read("staging")).to.equal(undefined);
        const manual: Hold = { env: "prod", since: "2026-12-05T11:00:00.000Z", reason: "investigating INC-42", placedBy: "manual" };
        await holds.place(manual);
        expect(await holds.read("prod")).to.deep.equal(manual);
        expect(await holds.release("prod")).to.deep.equal(manual);
        expect(await holds.read("prod")).to.equal(undefined);
        expect(await holds.release("prod")).to.equal(undefined);
      } finally {
        dispose();
      }
    });
  }
});
