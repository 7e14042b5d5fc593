import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openAutomation } from "../../../orchestrator/automation/open-automation";
import { exitCodeFor } from "../../../orchestrator/cli/main";
import { stackId } from "../../../orchestrator/model/stack";

const REPO = path.resolve(__dirname, "../../..");

describe("stack config files", () => {
  let dir: string;
  const saved = { TMPDIR: process.env.TMPDIR, PLATFORM_PULUMI: process.env.PLATFORM_PULUMI };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-files-"));
    fs.mkdirSync(path.join(dir, "tmp"));
    fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    // The watchdog's stand-in lives in the temp directory; no engine command runs here.
    process.env.TMPDIR = path.join(dir, "tmp");
    process.env.PLATFORM_PULUMI ??= "pulumi";
  });
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a Pulumi.<stack>.yaml that does not parse as bad input (exit 3), naming the file", async () => {
    fs.writeFileSync(path.join(dir, "Pulumi.foundation-local.yaml"), "config:\n  platform:release: [unclosed\n");
    const { configFiles } = openAutomation({ workDir: dir });
    const error = await configFiles.configKeys(stackId("foundation", "local")).then(
      () => undefined,
      (thrown: unknown) => thrown as Error,
    );
    expect(error?.message).to.match(/Pulumi\.foundation-local\.yaml: .*unexpected end of the stream/);
    expect(error?.message).to.match(/fix the file/);
    expect(exitCodeFor(error)).to.equal(3);
  });
});
