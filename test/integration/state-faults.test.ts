import { expect } from "chai";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineProcessesOf } from "../support/engine-processes";
import { addLocalEnvironment } from "../support/local-environment";
import { tempCheckout, type CommandResult, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";

// A state file cut in half (a full disk, a copy interrupted) and a wrong passphrase, on the real
// engine. The layers are kept light: ingress, observability and mesh run none of their charts, so
// each stack is a namespace and its quota; mesh needs ingress, observability does not.
const ENV = "e2e-state";
const BROKEN = `ingress-${ENV}`;
const DEPENDENT = `mesh-${ENV}`;
const INDEPENDENT = [`foundation-${ENV}`, `observability-${ENV}`];
const off = (components: readonly string[]) => `{ components: { ${components.map((c) => `${c}: { enabled: false }`).join(", ")} } }`;
const LAYERS = [
  `  ingress: ${off(["emissaryCrds", "emissary", "certManager"])}`,
  `  observability: ${off(["prometheus", "mimir", "loki", "grafana", "tempo", "otelCollector"])}`,
  `  mesh: ${off(["istioBase", "istiod"])}`,
  ...["gitops", "security", "data"].map((layer) => `  ${layer}: { enabled: false }`),
].join("\n");

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const shown = (result: CommandResult) => `exit ${result.code}\n${result.stdout}\n${result.stderr}`;

/** Every file under a folder with its digest: what a command that must write nothing there is compared by. */
function contents(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(files.map((entry) => path.join(entry.parentPath, entry.name)).map((file) => [path.relative(dir, file), sha(file)]));
}

/** A summary row of the run: `  <stack>  <status>  <time>  <detail>`. */
function row(output: string, stack: string): string {
  return output.split("\n").find((line) => new RegExp(`^\\s+${stack}\\s+(succeeded|unchanged|failed|skipped|cancelled)\\s`).test(line)) ?? `(no summary row for ${stack})`;
}

describe("state faults: a stack whose state does not parse, a wrong passphrase", function () {
  this.timeout(3_600_000);
  let cluster: TestCluster;
  let checkout: TempCheckout;
  let stateFile: string;
  let cut: string;

  before(async () => {
    cluster = await startTestCluster();
    checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath });
    await addLocalEnvironment(checkout, ENV, cluster.kubeconfigPath);
    fs.appendFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), `layers:\n${LAYERS}\n`);
    const up = await checkout.cli(["up", "--env", ENV]);
    expect(up.code, shown(up)).to.equal(0);
    stateFile = path.join(checkout.dir, ".platform", "state", ".pulumi", "stacks", "platform", `${BROKEN}.json`);
    const whole = fs.readFileSync(stateFile);
    fs.writeFileSync(stateFile, whole.subarray(0, Math.floor(whole.length / 2)));
    cut = sha(stateFile);
  });
  after(async () => {
    for (const pid of checkout ? engineProcessesOf(checkout) : []) process.kill(pid, "SIGKILL");
    checkout?.dispose();
    await cluster?.dispose();
  });

  /** The message every command gives for the broken stack: the file, that it does not parse, the good copies and the import command. */
  function expectNamedWithRestore(output: string): void {
    expect(output).to.contain(`${BROKEN}: its state file ${stateFile} does not parse (`);
    expect(output).to.match(new RegExp(`last good copies, newest first: \\S+/\\.pulumi/backups/platform/${BROKEN}/${BROKEN}\\.\\d+\\.json \\(backup, `));
    expect(output).to.contain(`&& PULUMI_BACKEND_URL=${checkout.env.PULUMI_BACKEND_URL} pulumi stack import --stack ${BROKEN} --file ${path.join(checkout.dir, ".platform", "recovery")}/${BROKEN}.`);
  }

  /** Runs an operation over the environment: the broken stack fails by name, `skipped` wait on it, `ran` end as `ranAs`, the file is untouched. */
  async function expectLeftAlone(operation: string, skipped: readonly string[], ran: readonly string[], ranAs: RegExp): Promise<void> {
    const result = await checkout.cli([operation, "--env", ENV]);
    const output = result.stdout + result.stderr;
    expect(result.code, shown(result)).to.equal(1);
    expectNamedWithRestore(output);
    expect(row(output, BROKEN), output).to.match(/failed .*does not parse/);
    for (const stack of skipped) expect(row(output, stack), output).to.contain(`skipped: ${BROKEN} did not succeed (its state file does not parse)`);
    for (const stack of ran) expect(row(output, stack), output).to.match(ranAs);
    expect(sha(stateFile)).to.equal(cut);
  }

  it("up names the stack, says how to restore it, skips its dependents, runs the rest, and writes nothing to it", async () => {
    await expectLeftAlone("up", [DEPENDENT], INDEPENDENT, /succeeded|unchanged/);
  });

  it("preview does the same", async () => {
    await expectLeftAlone("preview", [DEPENDENT], INDEPENDENT, /succeeded/);
  });

  it("status shows the stack's state as unreadable, with the restore command", async () => {
    const status = await checkout.cli(["status", "--env", ENV]);
    expect(status.code, shown(status)).to.equal(0);
    expect(status.stdout).to.match(new RegExp(`${BROKEN}\\s+state unreadable`));
    expectNamedWithRestore(status.stdout);
    expect(sha(stateFile)).to.equal(cut);
  });

  it("drift reports the stack as an error and checks the others", async () => {
    const drift = await checkout.cli(["drift", "--env", ENV, "--json"]);
    expect(drift.code, shown(drift)).to.equal(1);
    const { stacks } = (JSON.parse(drift.stdout) as { report: { stacks: { stack: string; error?: string }[] } }).report;
    expect(stacks.find((s) => s.stack === BROKEN)?.error, drift.stdout).to.contain("does not parse");
    for (const stack of [...INDEPENDENT, DEPENDENT]) expect(stacks.find((s) => s.stack === stack)?.error, `${stack}: ${drift.stdout}`).to.equal(undefined);
    expect(sha(stateFile)).to.equal(cut);
  });

  it("destroy leaves the stack and what it needs, destroys what does not depend on it", async () => {
    await expectLeftAlone("destroy", [`foundation-${ENV}`], [DEPENDENT, `observability-${ENV}`], /succeeded/);
  });

  it("the import command it prints restores the stack, and the next up succeeds", async () => {
    const status = await checkout.cli(["status", "--env", ENV]);
    const command = status.stdout.match(/restore the newest \(written as stack import takes it\): (.+)$/m)?.[1];
    expect(command, status.stdout).to.be.a("string");
    const restored = await checkout.exec("bash", ["-c", `source tools/env.sh && ${command}`]);
    expect(restored.code, shown(restored)).to.equal(0);
    const up = await checkout.cli(["up", "--env", ENV]);
    expect(up.code, shown(up)).to.equal(0);
    // The failed runs before it are named as the reason the stacks are refreshed first; no stack is found broken now.
    expect(up.stdout + up.stderr).to.not.contain("restore the newest");
  });

  it("a wrong passphrase stops up with exit 3 before the lock and any engine call, naming the stacks and where it came from", async () => {
    const data = path.join(checkout.dir, ".platform");
    const before = { state: contents(path.join(data, "state")), history: contents(path.join(data, "history")) };
    const up = await checkout.startCli(["up", "--env", ENV, "--force"], { PULUMI_CONFIG_PASSPHRASE: "not-the-passphrase" }).done;
    expect(up.code, shown(up)).to.equal(3);
    const stacks = [...INDEPENDENT, BROKEN, DEPENDENT].sort();
    const named = up.stderr.match(/does not decrypt the secrets of ([^(]+) \(/)?.[1]?.split(", ").sort();
    expect(named, up.stderr).to.deep.equal(stacks);
    expect(up.stderr).to.match(/^error: the passphrase from the environment variable PULUMI_CONFIG_PASSPHRASE does not decrypt the secrets of /m);
    expect(up.stderr).to.not.contain("not-the-passphrase");
    expect(up.stderr).to.not.match(/Command failed|pulumi up/);
    expect(up.stdout + up.stderr).to.not.contain("running");
    expect(fs.existsSync(path.join(data, "locks", `${ENV}.lock`))).to.equal(false);
    expect({ state: contents(path.join(data, "state")), history: contents(path.join(data, "history")) }).to.deep.equal(before);
  });
});
