import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError } from "../../../environments/config-error";
import { operate } from "../../../orchestrator/operate/operate";
import { PreflightError } from "../../../orchestrator/model/preflight-error";
import { SILENT_REPORTER } from "../../../orchestrator/run/progress";
import { exitCodeFor } from "../../../orchestrator/cli/main";
import { CHART_SOURCE } from "../../support/chart-source";
import { environmentFiles } from "../../support/environment-files";
import { FakeEngine } from "../../support/fake-engine";
import { refusal } from "../../support/refusal";
import { testWorkspace, type TestWorkspace } from "../../support/test-workspace";

const corpus = path.resolve(__dirname, "../../fixtures/environments");

const madePacks: string[] = [];
after(() => madePacks.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function policyPackDir(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
  madePacks.push(dir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("operate: bad input stops the run before anything is touched", () => {
  let workspace: TestWorkspace;
  beforeEach(() => (workspace = testWorkspace(corpus)));
  afterEach(() => workspace.dispose());

  it("refuses a --retry-on that is not a regular expression before taking the environment lock", async () => {
    // Another live run holds the lock: a refusal that names the pattern, not the lock, shows the pattern was checked first.
    fs.mkdirSync(workspace.lockDir, { recursive: true });
    const lock = { pid: process.pid, host: os.hostname(), user: "someone", operation: "up", startedAt: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(path.join(workspace.lockDir, "valid.lock"), JSON.stringify(lock));
    const error = await refusal(operate(workspace, "refresh", { env: "valid", parallel: 2, retryOn: ["timeout", "("] }, SILENT_REPORTER));
    expect(error).to.be.instanceOf(PreflightError);
    expect(error.message).to.match(/--retry-on "\(": not a valid regular expression/);
    expect(workspace.engineCalls).to.deep.equal([]);
    expect(workspace.touched()).to.deep.equal(["locks/valid.lock"]);
  });

  for (const env of ["promotes-from-unknown", "duplicate-key", "alias-bomb", "disabled-dependency", "../Pulumi"]) {
    it(`preview of an environment that does not validate (${env}) creates no stack, takes no lock, records no run`, async () => {
      const error = await refusal(operate(workspace, "preview", { env, parallel: 2, policyPacks: [workspace.policyPack] }, SILENT_REPORTER));
      expect(error).to.be.instanceOf(ConfigError);
      expect(workspace.engineCalls).to.deep.equal([]);
      expect(workspace.touched()).to.deep.equal([]);
    });
  }

  it("refuses missing secret config before taking the environment lock", async () => {
    const files = environmentFiles({ "secretive.yaml": "extends: base\nsecrets: [grafanaAdminPassword]\n" });
    const secretive = testWorkspace(files.dir);
    fs.mkdirSync(secretive.lockDir, { recursive: true });
    const lock = { pid: process.pid, host: os.hostname(), user: "someone", operation: "up", startedAt: "2026-01-01T00:00:00Z" };
    fs.writeFileSync(path.join(secretive.lockDir, "secretive.lock"), JSON.stringify(lock));
    const error = await refusal(operate(secretive, "up", { env: "secretive", parallel: 2, policyPacks: [] }, SILENT_REPORTER));
    expect(error).to.be.instanceOf(PreflightError);
    expect(error.message).to.match(/stack observability-secretive needs secret config grafanaAdminPassword; set it with: pulumi config set --secret/);
    expect(secretive.engineCalls.filter((call) => call !== "configKeys")).to.deep.equal([]);
    expect(secretive.touched()).to.deep.equal(["locks/secretive.lock"]);
    [secretive.dispose, files.dispose].forEach((dispose) => dispose());
  });

  it("refuses a passphrase that does not open a stack's secrets (exit 3) before the lock and any engine call, for every operation", async function () {
    this.timeout(60_000);
    const saved = process.env.PULUMI_CONFIG_PASSPHRASE;
    // Made by Pulumi with the passphrase "abc123" (its own tests, pkg/backend/diy).
    const engine = new FakeEngine();
    engine.salts.set("ingress-valid", "v1:4iF78gb0nF0=:v1:Co6IbTWYs/UdrjgY:FSrAWOFZnj9ealCUDdJL7LrUKXX9BA==");
    const salted = testWorkspace(corpus, engine);
    try {
      process.env.PULUMI_CONFIG_PASSPHRASE = "not-abc123";
      for (const operation of ["up", "preview", "refresh", "destroy"] as const) {
        const error = await refusal(operate(salted, operation, { env: "valid", parallel: 2, policyPacks: [] }, SILENT_REPORTER));
        expect(error, operation).to.be.instanceOf(PreflightError);
        expect(exitCodeFor(error)).to.equal(3);
        expect(error.message).to.match(/^the passphrase from the environment variable PULUMI_CONFIG_PASSPHRASE does not decrypt the secrets of ingress-valid \(the encryptionsalt in Pulumi\.ingress-valid\.yaml\)/);
      }
      expect(salted.engineCalls.filter((call) => !["configKeys", "passphraseSalt"].includes(call))).to.deep.equal([]);
      expect(salted.touched()).to.deep.equal([]);
      process.env.PULUMI_CONFIG_PASSPHRASE = "abc123";
      const { record } = await operate(salted, "preview", { env: "valid", parallel: 2, policyPacks: [] }, SILENT_REPORTER);
      expect(record.status).to.equal("succeeded");
    } finally {
      if (saved === undefined) delete process.env.PULUMI_CONFIG_PASSPHRASE;
      else process.env.PULUMI_CONFIG_PASSPHRASE = saved;
      salted.dispose();
    }
  });

  it("refuses a mirror whose chart directory holds another version than the one pinned", async () => {
    const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    fs.mkdirSync(path.join(mirror, "metrics-server"));
    fs.writeFileSync(path.join(mirror, "metrics-server", "Chart.yaml"), "apiVersion: v2\nname: metrics-server\nversion: 3.11.0\n");
    const files = environmentFiles({ "mirrored.yaml": `extends: base\ncharts: { mirror: ${mirror} }\n` });
    const mirrored = testWorkspace(files.dir);
    const error = await refusal(operate(mirrored, "preview", { env: "mirrored", parallel: 2, policyPacks: [] }, SILENT_REPORTER));
    expect(error).to.be.instanceOf(PreflightError);
    expect(error.message).to.match(/lacks metrics-server 3\.12\.2 \(its directory metrics-server\/ holds version 3\.11\.0\)/);
    expect(mirrored.engineCalls).to.deep.equal([]);
    expect(mirrored.touched()).to.deep.equal([]);
    [mirrored.dispose, files.dispose, () => fs.rmSync(mirror, { recursive: true })].forEach((dispose) => dispose());
  });

  it("refuses component values the chart's values.schema.json refuses with exit 3, naming component, chart and key", async function () {
    const archives = ["metrics-server-3.13.1.tgz", "cert-manager-v1.21.1.tgz"];
    if (!archives.every((name) => fs.existsSync(path.join(CHART_SOURCE, name)))) this.skip();
    this.timeout(120_000);
    const mirror = fs.mkdtempSync(path.join(os.tmpdir(), "mirror-"));
    for (const name of archives) fs.copyFileSync(path.join(CHART_SOURCE, name), path.join(mirror, name));
    const certManager = `{ chart: { name: cert-manager, version: v1.21.1, repository: "https://charts.jetstack.io" }, replicas: 1, resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { cpu: 200m, memory: 256Mi } }, values: { replicaCont: 2 } }`;
    const files = environmentFiles({
      "refused.yaml": [
        "extends: base",
        `charts: { mirror: ${mirror} }`,
        "layers:",
        `  foundation: { components: { metricsServer: { chart: { name: metrics-server, version: 3.13.1, repository: "https://kubernetes-sigs.github.io/metrics-server" } } } }`,
        `  ingress: { components: { certManager: ${certManager} } }`,
        "",
      ].join("\n"),
    });
    const refused = testWorkspace(files.dir);
    const error = await refusal(operate(refused, "up", { env: "refused", parallel: 2, policyPacks: [] }, SILENT_REPORTER));
    expect(error.message).to.match(/refused\.yaml: ingress\/certManager: the chart cert-manager v1\.21\.1 does not render with these values: [\s\S]*additional properties .replicaCont. not allowed/);
    expect(exitCodeFor(error)).to.equal(3);
    expect(refused.engineCalls.filter((call) => call !== "configKeys")).to.deep.equal([]);
    expect(refused.touched().filter((file) => !file.startsWith("cache/"))).to.deep.equal([]);
    [refused.dispose, files.dispose, () => fs.rmSync(mirror, { recursive: true })].forEach((dispose) => dispose());
  });

  describe("policy packs", () => {
    const broken: [string, () => string, RegExp][] = [
      ["a missing directory", () => path.join(os.tmpdir(), "no-such-policy-pack"), /no-such-policy-pack: no such directory; a policy pack is a directory with PulumiPolicy\.yaml/],
      ["a directory without PulumiPolicy.yaml", () => policyPackDir({ "index.ts": "" }), /has no PulumiPolicy\.yaml, so it is not a policy pack/],
      ["a PulumiPolicy.yaml without a runtime", () => policyPackDir({ "PulumiPolicy.yaml": "description: x\n", "index.ts": "" }), /PulumiPolicy\.yaml: expected a runtime/],
      ["a pack without an entry", () => policyPackDir({ "PulumiPolicy.yaml": "runtime: nodejs\n" }), /has no entry: expected index\.ts or index\.js/],
      ["a package.json main that is missing", () => policyPackDir({ "PulumiPolicy.yaml": "runtime: nodejs\n", "package.json": '{"main": "dist/pack.js"}' }), /package\.json "main" is dist\/pack\.js, which does not exist/],
    ];
    for (const [what, make, message] of broken) {
      it(`stops up and preview before anything deploys: ${what}`, async () => {
        const dir = make();
        for (const operation of ["up", "preview"] as const) {
          const error = await refusal(operate(workspace, operation, { env: "valid", parallel: 2, policyPacks: [workspace.policyPack, dir] }, SILENT_REPORTER));
          expect(error).to.be.instanceOf(PreflightError);
          expect(error.message).to.match(message);
        }
        expect(workspace.engineCalls).to.deep.equal([]);
        expect(workspace.touched()).to.deep.equal([]);
      });
    }
    it("runs with the platform pack", async () => {
      const { record } = await operate(workspace, "preview", { env: "valid", parallel: 2, policyPacks: [workspace.policyPack] }, SILENT_REPORTER);
      expect(record.status).to.equal("succeeded");
    });
  });
});
