import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const REPO = path.resolve(__dirname, "../..");
// actionlint 1.7.12 predates GitHub's `concurrency.queue`; only that one message is ignored.
const IGNORE_QUEUE = 'unexpected key "queue" for "concurrency" section';

function actionlint(files: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-c", `source tools/env.sh && actionlint -ignore '${IGNORE_QUEUE}' "$@"`, "actionlint", ...files], { cwd: REPO }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

function cli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile("bash", ["tools/run", "orchestrator/cli/main.ts", ...args], { cwd: REPO }, (error, stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(stdout))),
  );
}

describe("GitHub Actions workflows pass actionlint (built from Go modules by setup)", function () {
  this.timeout(120_000);

  it("every shipped workflow in .github/workflows", async () => {
    const dir = path.join(REPO, ".github", "workflows");
    const files = fs.readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(dir, name));
    expect(files.map((f) => path.basename(f)).sort()).to.include.members(["deploy.yml", "drift.yml", "promote.yml", "pull-request.yml", "test.yml"]);
    const lint = await actionlint(files);
    expect(lint.code, lint.output).to.equal(0);
  });

  it("the workflow graph emits for every environment and operation", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-workflows-"));
    try {
      const files: string[] = [];
      for (const env of fs.readdirSync(path.join(REPO, "environments")).filter((f) => f.endsWith(".yaml") && f !== "base.yaml").map((f) => f.slice(0, -5))) {
        for (const operation of ["up", "destroy"]) {
          const file = path.join(dir, `${operation}-${env}.yml`);
          fs.writeFileSync(file, await cli(["graph", "--env", env, "--operation", operation, "--format", "github-actions"]));
          files.push(file);
        }
      }
      const lint = await actionlint(files);
      expect(lint.code, lint.output).to.equal(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
