import { expect } from "chai";
import { runCli } from "../../support/run-cli";

describe("lock acquire|release on a file:// backend", () => {
  // A file lock is judged by its pid, and the lock command exits at once: the next run would take the lock over.
  it("refuses to take a lock meant to outlive its process, and says to use a shared backend (exit 3)", async () => {
    const result = await runCli(["lock", "acquire", "--env", "local", "--id", "other-run"]);
    expect(result.code).to.equal(3);
    expect(result.stdout).to.equal("");
    expect(result.stderr).to.match(/a lock held across CI jobs needs a shared backend/);
    expect(result.stderr).to.match(/azblob:\/\/ or s3:\/\//);
    expect(process.env.PLATFORM_LOCK_ID).to.equal(undefined);
  });

  it("refuses a release the same way (exit 3)", async () => {
    const result = await runCli(["lock", "release", "--env", "local", "--id", "other-run"]);
    expect(result.code).to.equal(3);
    expect(result.stderr).to.match(/a lock held across CI jobs needs a shared backend/);
  });
});
