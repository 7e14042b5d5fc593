import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import type { RunRecord } from "../../orchestrator/model/run-record";
import { LAYER_NAMES } from "../../environments/layers";
import { startAzurite, type TestBlobBackend } from "../support/azurite";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster, type TestCluster } from "../support/test-cluster";
import { runWorkflow, type JobRun } from "../support/workflow-runner";

const ENV = "runners";
const STACKS = LAYER_NAMES.map((layer) => `${layer}-${ENV}`);

/**
 * The workflow `graph --format github-actions` emits, run job by job as separate machines would:
 * each job a fresh checkout with its own `.platform`, in `needs` order, against Azurite and a
 * local cluster. Nothing passes between jobs but the backend and the plan job's output.
 */
describe("the emitted GitHub Actions workflow, each job on its own checkout", function () {
  this.timeout(1_800_000);
  let cluster: TestCluster;
  let azurite: TestBlobBackend;
  let workflow: string;
  const checkouts: TempCheckout[] = [];
  // What the repository holds: the environment file, and the stack config files a team commits
  // (secrets as ciphertext), which every later checkout starts from.
  let environmentYaml = "";
  const committed = new Map<string, string>();

  const newCheckout = async () => {
    const checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath, PULUMI_BACKEND_URL: "file:///nonexistent-each-job-must-use-the-workflow-backend" });
    fs.writeFileSync(path.join(checkout.dir, "environments", `${ENV}.yaml`), environmentYaml);
    for (const [name, text] of committed) fs.writeFileSync(path.join(checkout.dir, name), text);
    checkouts.push(checkout);
    return checkout;
  };
  const options = () => ({
    vars: { PULUMI_BACKEND_URL: azurite.url, PLATFORM_SECRETS_PROVIDER: "", AZURE_STORAGE_ACCOUNT: azurite.envVars.AZURE_STORAGE_ACCOUNT! },
    secrets: { PULUMI_CONFIG_PASSPHRASE: "workflow-passphrase", AZURE_STORAGE_KEY: azurite.envVars.AZURE_STORAGE_KEY! },
    github: { run_id: "1001", run_attempt: "1", workflow: `up ${ENV}`, actor: "octocat" },
    newCheckout,
    afterJob: (run: JobRun, checkout: TempCheckout | undefined) => {
      if (!checkout) return;
      for (const name of fs.readdirSync(checkout.dir).filter((f) => f === `Pulumi.${run.id}.yaml`)) committed.set(name, fs.readFileSync(path.join(checkout.dir, name), "utf8"));
      expect(fs.existsSync(path.join(checkout.env.PLATFORM_DATA!, "history", "runs.jsonl")), `${run.id} keeps no local run history`).to.equal(false);
      expect(fs.existsSync(path.join(checkout.env.PLATFORM_DATA!, "state", ".pulumi")), `${run.id} keeps no local state`).to.equal(false);
    },
  });

  before(async () => {
    cluster = await startTestCluster();
    azurite = await startAzurite();
    environmentYaml = `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\n`;
    const generator = await newCheckout();
    const rendered = await generator.cli(["graph", "--env", ENV, "--format", "github-actions"]);
    expect(rendered.code, rendered.stderr).to.equal(0);
    workflow = rendered.stdout;
  });
  after(async () => {
    for (const checkout of checkouts) checkout.dispose();
    await azurite?.dispose();
    await cluster?.dispose();
  });

  it("passes actionlint", async () => {
    const file = path.join(checkouts[0]!.dir, ".github", "workflows", `up-${ENV}.yml`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, workflow);
    const lint = await checkouts[0]!.exec("bash", ["-c", `source tools/env.sh && actionlint -ignore 'unexpected key "queue" for "concurrency" section' ${file}`]);
    expect(lint.code, lint.stdout + lint.stderr).to.equal(0);
  });

  it("runs every stack's job on a separate checkout in needs order; the plan job's changed list decides which run", async () => {
    const runs = await runWorkflow(workflow, options());
    for (const run of runs.values()) {
      const failed = run.steps.filter((s) => s.result && s.result.code !== 0).map((s) => `${s.name}: ${s.result!.stdout.slice(-2000)}\n${s.result!.stderr.slice(-3000)}`);
      expect(run.result, `${run.id}\n${failed.join("\n")}`).to.equal("success");
    }
    expect(JSON.parse(runs.get("plan")!.outputs.changed!)).to.deep.equal(STACKS);
    const dirs = [...runs.values()].map((r) => r.checkoutDir);
    expect(new Set(dirs).size, "one checkout per job").to.equal(dirs.length);
    const jobs = parse(workflow).jobs as Record<string, { needs: string[] }>;
    for (const stack of STACKS) {
      for (const need of jobs[stack]!.needs) expect(runs.get(stack)!.startedAt, `${stack} after ${need}`).to.be.at.least(runs.get(need)!.finishedAt);
    }

    const records = await readHistory();
    expect(records.map((r) => r.stacks.map((s) => `${s.stack.name}:${s.outcome.status}`)).flat().sort()).to.deep.equal(STACKS.map((s) => `${s}:succeeded`).sort());
    expect(await lockHeld(), "the unlock job released the workflow's lock").to.equal(false);
  });

  it("a second workflow run after an ingress change skips unchanged stacks' jobs and still runs every dependent of ingress", async () => {
    environmentYaml += "layers:\n  ingress:\n    components:\n      certManager:\n        replicas: 2\n";
    const runs = await runWorkflow(workflow, { ...options(), github: { ...options().github, run_id: "1002" } });
    const changed = JSON.parse(runs.get("plan")!.outputs.changed!) as string[];
    expect(changed).to.deep.equal(["ingress", "gitops", "security", "mesh", "data"].map((layer) => `${layer}-${ENV}`));
    for (const stack of STACKS) expect(runs.get(stack)!.result, stack).to.equal(changed.includes(stack) ? "success" : "skipped");
    // mesh needs ingress (changed) and observability (skipped, unchanged): it still ran.
    expect(runs.get(`observability-${ENV}`)!.result).to.equal("skipped");
    expect(runs.get(`mesh-${ENV}`)!.result).to.equal("success");
    expect(runs.get("unlock")!.result).to.equal("success");
    expect(await lockHeld()).to.equal(false);
  });

  async function readHistory(): Promise<RunRecord[]> {
    const container = azurite.client.getContainerClient("state");
    const records: RunRecord[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `.platform/history/${ENV}/` })) {
      // Each run also has its start line, `<id>.start.json`; the records are the rest.
      if (blob.name.endsWith(".start.json")) continue;
      records.push(JSON.parse((await container.getBlobClient(blob.name).downloadToBuffer()).toString()) as RunRecord);
    }
    return records;
  }
  async function lockHeld(): Promise<boolean> {
    return azurite.client.getContainerClient("state").getBlobClient(`.platform/locks/${ENV}.json`).exists();
  }
});
