import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, renderIssues, type ConfigIssue } from "../../../environments/config-error";
import { environmentProblem, listEnvironments, loadEnvironment } from "../../../environments/load";
import { FILE_LIMITS } from "../../../environments/read-yaml";
import { environmentFiles } from "../../support/environment-files";

const corpus = path.resolve(__dirname, "../../fixtures/environments");
const corpusFile = (name: string) => path.join(path.relative(process.cwd(), corpus), `${name}.yaml`);

function loadError(name: string, dir = corpus): ConfigError {
  try {
    loadEnvironment(name, { dir });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`${name} loaded without error`);
}

describe("environment loading", () => {
  describe("the shipped environments", () => {
    it("all load and validate", () => {
      expect(listEnvironments()).to.include.members(["local", "dev", "staging", "prod"]);
      for (const name of listEnvironments()) expect(loadEnvironment(name).name).to.equal(name);
    });
    it("differ only where they must: prod needs approval and runs on-demand, dev runs spot", () => {
      const dev = loadEnvironment("dev");
      const prod = loadEnvironment("prod");
      expect(prod.promotion).to.deep.equal({ requiresApproval: true, promotesFrom: "staging" });
      expect(prod.cluster.spot).to.equal(false);
      expect(dev.cluster.spot).to.equal(true);
      expect(prod.layers.ingress.components.emissary.replicas).to.equal(3);
      expect(dev.layers.ingress.components.emissary.replicas).to.equal(1);
      expect(prod.layers.ingress.components.certManager.chart).to.deep.equal(dev.layers.ingress.components.certManager.chart);
    });
    it("points local at the loopback cluster and the chart mirror", () => {
      const local = loadEnvironment("local");
      expect(local.target).to.equal("local");
      expect(local.local?.kubeconfig).to.equal(".platform/cluster/kubeconfig");
      expect(local.charts.mirror).to.equal(".platform/charts");
      expect(local.layers.foundation.components.cilium.enabled).to.equal(false);
    });
    it("defaults each layer's dependencies from the layer catalog", () => {
      expect(loadEnvironment("dev").layers.data.dependsOn).to.deep.equal(["foundation", "ingress", "observability"]);
    });
  });

  describe("blueprint merge", () => {
    it("merges maps key by key and keeps what the override does not mention", () => {
      const env = loadEnvironment("valid", { dir: corpus });
      expect(env.cluster.instanceType).to.equal("t3.large");
      const staging = loadEnvironment("staging");
      expect(staging.network).to.deep.equal({ cidr: "10.1.0.0/16", availabilityZones: 3 });
    });
    it("replaces lists instead of appending", () => {
      expect(loadEnvironment("local").secrets).to.deep.equal(["grafanaAdminPassword"]);
    });
  });

  describe("bad input", () => {
    const cases: [string, string, RegExp][] = [
      ["min-above-max", "cluster.minNodes", /minNodes 5 is above maxNodes 3/],
      ["bad-cidr", "network.cidr", /expected an IPv4 CIDR/],
      ["wrong-type", "cluster.spot", /expected boolean, received string/],
      ["unknown-key", "clustr", /unknown key "clustr"; did you mean "cluster"\?/],
      ["unknown-layer", "layers.storage", /unknown key "storage"/],
      ["dependency-cycle", "layers.foundation.dependsOn", /dependency cycle: foundation -> data -> foundation/],
      ["disabled-dependency", "layers.foundation.enabled", /foundation is disabled here, but ingress, observability, gitops, security, mesh, data are enabled and depend on it; enable foundation or disable them too/],
      ["duplicate-key", "cluster.minNodes", /duplicate key "minNodes" in cluster: a key may appear once in a mapping; keep one of them/],
      ["promotes-from-unknown", "promotion.promotesFrom", /"vaild" is not an environment; did you mean "valid"\? \(available: .*valid/],
      ["promotes-from-itself", "promotion.promotesFrom", /promotes-from-itself cannot promote from itself; name the environment it takes releases from, or remove promotesFrom/],
      ["yaml-syntax", "", /YAML syntax/],
      ["missing-base", "extends", /extends "nowhere" but .*nowhere.yaml does not exist/],
      ["extends-cycle-a", "extends", /extends cycle: extends-cycle-a -> extends-cycle-b -> extends-cycle-a/],
      ["plain-secret", "layers.foundation.components.metricsServer.values.adminPassword", /pulumi config set --secret adminPassword/],
      ["unknown-component", "layers.foundation.components.metricServer", /did you mean "metricsServer"/],
      ["chart-range", "layers.foundation.components.metricsServer.chart.version", /exact chart version/],
      ["local-without-kubeconfig", "target", /needs local.kubeconfig/],
    ];
    for (const [name, field, message] of cases) {
      it(`${name}: names the file, the field ${field || "(file)"} and what is valid`, () => {
        const error = loadError(name);
        const issue = error.issues.find((candidate) => candidate.path === field && message.test(candidate.message));
        expect(issue, error.message).to.not.equal(undefined);
        expect(issue!.file).to.match(/\.yaml$/);
        expect(error.message).to.include("nothing was deployed");
      });
    }
    it("points at the line that is wrong", () => {
      const issue = loadError("min-above-max").issues[0];
      expect(issue.file).to.equal(corpusFile("min-above-max"));
      expect(issue.line).to.equal(3);
    });
    it("blames the file and line that disabled a layer others need, not the blueprint's dependencies", () => {
      const issues = loadError("disabled-dependency").issues;
      expect(issues).to.have.length(1);
      expect(issues[0]).to.include({ file: corpusFile("disabled-dependency"), path: "layers.foundation.enabled", line: 4 });
    });
    it("names a duplicate key and the line of its second occurrence", () => {
      const issue = loadError("duplicate-key").issues[0]!;
      expect(issue).to.include({ file: corpusFile("duplicate-key"), line: 5 });
    });
    it("blames the file that set the bad value, not the one that extends it", () => {
      const issue = loadError("bad-cidr").issues[0];
      expect(issue.file).to.equal(corpusFile("bad-cidr"));
    });
    it("reports a missing environment with the list of available ones", () => {
      expect(loadError("nope").message).to.match(/no environment "nope"; available: .*valid/);
    });
    it("refuses an environment name that is a path, before reading any file", () => {
      for (const name of ["../Pulumi", "a/b", "Dev", "-x", ""]) {
        const error = loadError(name);
        expect(error.issues).to.have.length(1);
        expect(error.issues[0]!.message).to.match(/is not an environment name: expected a plain name .* available: .*valid/);
      }
    });
    it("refuses an extends that is a path", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-names-"));
      fs.writeFileSync(path.join(dir, "child.yaml"), "extends: ../../etc/base\n");
      const issue = loadError("child", dir).issues[0]!;
      expect(issue.path).to.equal("extends");
      expect(issue.message).to.match(/extends "..\/..\/etc\/base": .* is not an environment name/);
      fs.rmSync(dir, { recursive: true });
    });
    it("refuses a directory named like an environment file, and does not list it", () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "env-names-"));
      fs.mkdirSync(path.join(dir, "folder.yaml"));
      expect(listEnvironments({ dir })).to.deep.equal([]);
      expect(loadError("folder", dir).message).to.match(/folder\.yaml is a directory, not an environment file/);
      fs.rmSync(dir, { recursive: true });
    });
    it("says why a name names no environment, for flag checks before anything runs", () => {
      expect(environmentProblem("dev")).to.equal(undefined);
      expect(environmentProblem("../Pulumi")).to.match(/not an environment name/);
      expect(environmentProblem("nope")).to.match(/no environment "nope"; available: dev/);
    });
    it("refuses the blueprint as an environment of its own, while environments still extend it", () => {
      expect(environmentProblem("base")).to.match(/"base" is the blueprint every environment extends .*not an environment to deploy; available: dev/);
      expect(() => loadEnvironment("base")).to.throw(ConfigError, /blueprint/);
      expect(loadEnvironment("dev").name).to.equal("dev");
    });
    it("collects every problem instead of stopping at the first", () => {
      expect(loadError("plain-secret").issues.length).to.be.greaterThan(0);
      const several = loadError("min-above-max");
      expect(several.issues.every((issue) => issue.file.endsWith(".yaml"))).to.equal(true);
    });
  });

  describe("size, shape and encoding", () => {
    const keys = (count: number, under = "cluster") => `extends: base\n${under}:\n${Array.from({ length: count }, (_, i) => `  key${i}: ${i}`).join("\n")}\n`;

    it("refuses a file larger than the cap before parsing it, however late its bad key", () => {
      const padding = `# ${"x".repeat(78)}\n`.repeat(Math.ceil(FILE_LIMITS.bytes / 80) + 1);
      const files = environmentFiles({ "large.yaml": `extends: base\n${padding}clustr: {}\n` });
      const error = loadError("large", files.dir);
      expect(error.issues).to.have.length(1);
      expect(error.issues[0]!.file).to.match(/large\.yaml$/);
      expect(error.issues[0]!.message).to.match(/is larger than the \d+ KiB an environment file may be; keep only what differs from the file it extends/);
      files.dispose();
    });
    it("refuses a file with more keys than the cap, naming the count and the cap", () => {
      const files = environmentFiles({ "wide.yaml": keys(FILE_LIMITS.keys + 1) });
      const error = loadError("wide", files.dir);
      expect(error.issues).to.have.length(1);
      expect(error.issues[0]!.message).to.match(new RegExp(`more than the ${FILE_LIMITS.keys} keys an environment file may hold`));
      files.dispose();
    });
    it("refuses a YAML alias bomb, naming the file", () => {
      const issue = loadError("alias-bomb").issues[0]!;
      expect(issue.file).to.equal(corpusFile("alias-bomb"));
      expect(issue.message).to.match(/aliases expand past .*write the values out/);
    });
    it("refuses a value that is not valid UTF-8, naming the field and the line", () => {
      const bytes = Buffer.concat([Buffer.from("extends: base\nregion: eu-"), Buffer.from([0xc3, 0x28]), Buffer.from("west-1\n")]);
      const files = environmentFiles({ "latin.yaml": bytes });
      const issue = loadError("latin", files.dir).issues[0]!;
      expect(issue).to.include({ path: "region", line: 2 });
      expect(issue.message).to.match(/not valid UTF-8 \(byte 0xc3\); save the file as UTF-8/);
      files.dispose();
    });
    it("reports the first problems and how many more, not thousands of lines", () => {
      const files = environmentFiles({ "many.yaml": keys(300) });
      const error = loadError("many", files.dir);
      expect(error.issues).to.have.length(300);
      const lines = error.message.split("\n");
      expect(lines.length).to.be.lessThan(30);
      expect(error.message).to.match(/and 280 more problems/);
      files.dispose();
    });
    it("renders every problem when there are few", () => {
      const issues: ConfigIssue[] = Array.from({ length: 3 }, (_, i) => ({ file: "x.yaml", path: `k${i}`, message: "bad" }));
      expect(renderIssues(issues)).to.not.match(/more problems/);
    });
  });
});
