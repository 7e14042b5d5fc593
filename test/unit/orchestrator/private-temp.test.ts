import { expect } from "chai";
import { spawnSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { sweepAbandoned, usePrivateTempDir } from "../../../orchestrator/run/private-temp";

describe("private temp directory for engine runs", () => {
  let parent: string;
  const saved = process.env.TMPDIR;
  beforeEach(() => (parent = fs.mkdtempSync(path.join(os.tmpdir(), "private-temp-test-"))));
  afterEach(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it("points TMPDIR at an owner-only directory and removes it with what the engine left there", () => {
    const temp = usePrivateTempDir(parent);
    expect(process.env.TMPDIR).to.equal(temp.dir);
    expect(os.tmpdir()).to.equal(temp.dir);
    expect(fs.statSync(temp.dir).mode & 0o777).to.equal(0o700);
    fs.writeFileSync(path.join(temp.dir, "kubeconfig123456"), "token: abc");
    temp.remove();
    temp.remove();
    expect(fs.existsSync(temp.dir)).to.equal(false);
    expect(process.env.TMPDIR).to.equal(saved);
  });

  it("removes directories of runs whose process is gone, and keeps a live run's", () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    fs.mkdirSync(path.join(parent, `platform-run-${dead}-abc`));
    fs.writeFileSync(path.join(parent, `platform-run-${dead}-abc`, "kubeconfig1"), "token");
    fs.mkdirSync(path.join(parent, `platform-run-${process.pid}-def`));
    fs.mkdirSync(path.join(parent, "someone-elses"));
    expect(sweepAbandoned(parent)).to.deep.equal([`platform-run-${dead}-abc`]);
    expect(fs.readdirSync(parent).sort()).to.deep.equal([`platform-run-${process.pid}-def`, "someone-elses"]);
  });

  it("ends processes still working for a dead run (its plugins, an orphaned engine) before removing its directory", async () => {
    const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    const dir = path.join(parent, `platform-run-${dead}-xyz`);
    fs.mkdirSync(dir);
    const orphan = spawn("sleep", ["300"], { env: { ...process.env, TMPDIR: dir }, stdio: "ignore" });
    const bystander = spawn("sleep", ["300"], { env: { ...process.env, TMPDIR: parent }, stdio: "ignore" });
    const exited = new Promise((resolve) => orphan.on("exit", (_code, signal) => resolve(signal)));
    expect(sweepAbandoned(parent)).to.deep.equal([`platform-run-${dead}-xyz`]);
    expect(await exited).to.equal("SIGKILL");
    expect(bystander.exitCode).to.equal(null);
    bystander.kill();
  });
});
