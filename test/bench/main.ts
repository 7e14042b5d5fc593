import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LAYER_NAMES } from "../../environments/layers";
import { loadEnvironment } from "../../environments/load";
import type { EnvironmentSpec } from "../../environments/model";
import { deployedReleases } from "../../orchestrator/releases/release-records";
import { manifestObjects } from "../../orchestrator/releases/release-objects";
import type { StackId } from "../../orchestrator/model/stack";
import { localClient } from "../../orchestrator/cluster/kube-client";
import { terminalReporter } from "../../orchestrator/cli/output/reporter";
import { operate } from "../../orchestrator/operate/operate";
import { criticalPath, makeGraph, topologicalOrder, waves } from "../../orchestrator/plan/graph";
import { planRun } from "../../orchestrator/plan/plan";
import { scheduleEager, scheduleWaves } from "../../orchestrator/run/scheduler";
import { openWorkspace } from "../../orchestrator/workspace/workspace";
import { defaultCluster } from "../../tools/cluster/default-cluster";
import { CHART_SOURCE } from "../support/chart-source";
import { tempCheckout, type TempCheckout } from "../support/temp-checkout";
import { startTestCluster } from "../support/test-cluster";
import { startupBench } from "./startup";
import { seeded, syntheticDag } from "./synthetic";

// npm run bench: ratios measured side by side in one run. No thresholds here; tests never time things.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ratio = (a: number, b: number) => (a / b).toFixed(2);

async function schedulerBench(): Promise<void> {
  console.log("1. scheduler: wall time / critical path on synthetic DAGs (sleep-based tasks)");
  console.log("   nodes  width  parallel  critical(ms)  eager(ms)  waves(ms)  eager/cp  waves/cp  waves/eager");
  for (const [nodes, width, parallel] of [
    [40, 4, 4],
    [40, 8, 8],
    [120, 6, 6],
    [120, 6, 64],
  ] as const) {
    const { graph, duration } = syntheticDag(nodes, width, seeded(nodes * 31 + width));
    const cp = criticalPath(graph, (n) => duration.get(n)!).total;
    const task = async (name: string) => (await sleep(duration.get(name)!), true);
    let started = performance.now();
    await scheduleEager(graph, task, { concurrency: parallel });
    const eager = performance.now() - started;
    started = performance.now();
    await scheduleWaves(graph, task, { concurrency: parallel });
    const waved = performance.now() - started;
    console.log(
      `   ${String(nodes).padStart(5)}  ${String(width).padStart(5)}  ${String(parallel).padStart(8)}  ${String(cp).padStart(12)}  ${eager.toFixed(0).padStart(9)}  ${waved.toFixed(0).padStart(9)}  ${ratio(eager, cp).padStart(8)}  ${ratio(waved, cp).padStart(8)}  ${ratio(waved, eager).padStart(11)}`,
    );
  }
}

function planningBench(): void {
  console.log("\n2. planning: graph build + cycle check + order + waves + critical path (time: median of 7 after a warm-up)");
  console.log("   stacks   time(ms)  heap(MiB)  us/stack  bytes/stack");
  const plan = (edges: Map<string, readonly string[]>) => {
    const built = makeGraph(edges);
    return [built, topologicalOrder(built), waves(built), criticalPath(built, () => 1)];
  };
  const inputs = [1_000, 10_000].map((n) => {
    const { graph } = syntheticDag(n, 50, seeded(n));
    return { n, edges: new Map(graph.nodes.map((name) => [name, graph.dependencies.get(name)!])) };
  });
  for (const { edges } of inputs) plan(edges); // warm-up, so the JIT does not bill the first size
  const rows: Array<{ n: number; ms: number; bytes: number }> = [];
  for (const { n, edges } of inputs) {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      plan(edges);
      times.push(performance.now() - started);
    }
    const ms = times.sort((a, b) => a - b)[3]!;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const kept = plan(edges);
    global.gc?.();
    // What the plan retains once temporary garbage is collected.
    const bytes = process.memoryUsage().heapUsed - heapBefore;
    void kept;
    rows.push({ n, ms, bytes });
    console.log(`   ${String(n).padStart(6)}  ${ms.toFixed(1).padStart(9)}  ${(bytes / 2 ** 20).toFixed(1).padStart(9)}  ${((ms * 1000) / n).toFixed(1).padStart(8)}  ${Math.round(bytes / n).toString().padStart(11)}`);
  }
  console.log(`   10,000 vs 1,000 stacks: time x${ratio(rows[1]!.ms, rows[0]!.ms)}, retained memory x${ratio(rows[1]!.bytes, Math.max(1, rows[0]!.bytes))} (10 = linear)`);
  if (!global.gc) console.log("   (run with node --expose-gc for steadier memory figures)");
}

async function localRunBench(): Promise<void> {
  console.log("\n3. real local run: wall time / critical path of its own stack times");
  const cluster = defaultCluster(true);
  if ((await cluster.status()).state !== "running") {
    console.log("   skipped: the local cluster is not running (npm run cluster -- start)");
    return;
  }
  const workspace = openWorkspace();
  const { record } = await operate(workspace, "up", { env: "local", parallel: 4, force: true, policyPacks: [workspace.policyPack] }, terminalReporter({ json: true, summaries: true }));
  const env = loadEnvironment("local");
  const plan = planRun(env, { operation: "up" });
  const took = new Map(record.stacks.map((s) => [s.stack.name, s.durationMs]));
  const cp = criticalPath(plan.graph, (n) => took.get(n) ?? 0);
  const serial = [...took.values()].reduce((a, b) => a + b, 0);
  console.log(`   stacks ${record.stacks.length}, status ${record.status}, wall ${record.durationMs}ms, critical path ${cp.total}ms (${cp.path.join(" -> ")}), sum of stack times ${serial}ms`);
  console.log(`   wall/critical path: ${ratio(record.durationMs, cp.total)}   wall/serial: ${ratio(record.durationMs, serial)}`);
}

/** Whole CLI commands, as a user runs them, on a throwaway cluster and checkout: what each costs next to a first deploy. */
async function commandBench(): Promise<void> {
  console.log("\n4. whole commands on a throwaway local cluster (wall time of each CLI command, one run)");
  const cluster = await startTestCluster();
  const renderCache = fs.mkdtempSync(path.join(os.tmpdir(), "bench-policy-renders-"));
  const checkout = tempCheckout({ KUBECONFIG: cluster.kubeconfigPath, PLATFORM_POLICY_CACHE: renderCache });
  const env = "bench";
  try {
    fs.writeFileSync(path.join(checkout.dir, "environments", `${env}.yaml`), `extends: local\nlocal:\n  kubeconfig: ${cluster.kubeconfigPath}\n`);
    await checkout.exec("bash", ["tools/run", "tools/charts/cli.ts", "fill", "--env", env, "--from", CHART_SOURCE]);
    const timed = async (args: string[]) => {
      const started = performance.now();
      const result = await checkout.cli(args);
      if (result.code !== 0 && result.code !== 2) throw new Error(`${args.join(" ")} exited ${result.code}: ${tail(result)}`);
      return performance.now() - started;
    };
    const firstStarted = performance.now();
    const firstRun = await checkout.cli(["up", "--env", env, "--json"]);
    if (firstRun.code !== 0) throw new Error(`first up exited ${firstRun.code}: ${tail(firstRun)}`);
    const first = performance.now() - firstStarted;
    const spec = loadEnvironment(env, { dir: path.join(checkout.dir, "environments") });
    const firstPlan = planRun(spec, { operation: "up" });
    const record = (JSON.parse(firstRun.stdout) as { run: { durationMs: number; stacks: { stack: { name: string }; durationMs: number }[] } }).run;
    const took = new Map(record.stacks.map((stack) => [stack.stack.name, stack.durationMs]));
    const firstPath = criticalPath(firstPlan.graph, (name) => took.get(name) ?? 0);
    const objects = await objectsPerLayer(cluster.kubeconfigPath, spec, firstPlan.stacks);
    const noop = await timed(["up", "--env", env]);
    const driftRatios = [];
    for (const mode of [[], ["--refresh-all"]]) {
      const allStacks = async () => {
        const started = performance.now();
        const run = await checkout.cli(["drift", "--env", env, "--json", ...mode]);
        return { ms: performance.now() - started, refreshed: refreshedStacks(run.stdout) };
      };
      // All stacks before and after the single ones: right after a deploy the cluster is still settling pods.
      const before = await allStacks();
      const single: Array<[string, number]> = [];
      for (const layer of LAYER_NAMES) single.push([layer, await timed(["drift", "--env", env, "--layers", layer, ...mode])]);
      const after = await allStacks();
      const [slowestLayer, slowest] = single.sort((a, b) => b[1] - a[1])[0]!;
      driftRatios.push({ mode: mode.length ? "drift --refresh-all" : "drift", before: before.ms, all: after.ms, slowest, slowestLayer, refreshed: after.refreshed });
    }
    const remediate = await remediationBench(checkout, cluster.kubeconfigPath, env);
    const policy = await policyPreviewBench(checkout, `security-${env}`, renderCache);
    const destroy = await timed(["destroy", "--env", env]);
    const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
    console.log(`   first up: run ${s(record.durationMs)}, critical path ${s(firstPath.total)} (${firstPath.path.join(" -> ")}), wall/critical path ${ratio(record.durationMs, firstPath.total)}`);
    console.log(`   objects inside the releases per layer: ${objects.perLayer.map(([layer, n]) => `${layer} ${n}`).join(", ")}; ${objects.total} in ${objects.releases} releases`);
    console.log(`   first up ${s(first)}   no-op up ${s(noop)} (${ratio(noop, first)} of a first deploy)   destroy ${s(destroy)}`);
    for (const d of driftRatios) {
      console.log(`   ${d.mode}: all stacks ${s(d.all)}   slowest single stack ${s(d.slowest)} (${d.slowestLayer})   all/slowest ${ratio(d.all, d.slowest)}   (all stacks before the single ones: ${s(d.before)}; refresh previews run: ${d.refreshed})`);
    }
    console.log(`   drift --remediate up of ${remediate.edits} hand edits inside releases (${remediate.what}): ${s(remediate.ms)}, both drift checks included (${ratio(remediate.ms, first)} of a first deploy)`);
    console.log(
      `   pulumi preview --stack security-${env} (4 releases), median of ${policy.trials}: ${s(policy.plain)} without the policy pack, ${s(policy.cold)} with it and no render cached, ${s(policy.warm)} with the renders cached (pack cold/plain ${ratio(policy.cold, policy.plain)}, warm/plain ${ratio(policy.warm, policy.plain)})`,
    );
  } finally {
    fs.rmSync(renderCache, { recursive: true, force: true });
    checkout.dispose();
    await cluster.dispose();
  }
}

/** Hand edits inside two releases (a scale to 0, an image), then one `drift --remediate up` that finds and reverts them. */
async function remediationBench(checkout: TempCheckout, kubeconfig: string, env: string) {
  const edits: Record<string, string[]> = {
    "ingress/cert-manager scaled to 0": ["-n", "ingress", "scale", "deployment", "cert-manager", "--replicas", "0"],
    "platform-system/metrics-server image": ["-n", "platform-system", "set", "image", "deployment/metrics-server", "metrics-server=registry.k8s.io/metrics-server/metrics-server:v0.0.1-bench"],
  };
  for (const edit of Object.values(edits)) {
    const edited = await checkout.exec("kubectl", ["--kubeconfig", kubeconfig, ...edit]);
    if (edited.code !== 0) throw new Error(`kubectl ${edit.join(" ")}: ${edited.stderr}`);
  }
  const started = performance.now();
  const run = await checkout.cli(["drift", "--env", env, "--remediate", "up", "--json"]);
  const ms = performance.now() - started;
  if (run.code !== 0) throw new Error(`drift --remediate up exited ${run.code}: ${tail(run)}`);
  return { ms, edits: Object.keys(edits).length, what: Object.keys(edits).join(", ") };
}

/** A plain preview of one stack next to the same preview with the policy pack, renders cold and cached: median of three each. */
async function policyPreviewBench(checkout: TempCheckout, stack: string, renderCache: string) {
  const preview = async (flags: string) => {
    const started = performance.now();
    const run = await checkout.exec("bash", ["-c", `source tools/env.sh && pulumi preview --stack ${stack} --non-interactive ${flags}`]);
    if (run.code !== 0) throw new Error(`pulumi preview ${flags} exited ${run.code}: ${tail(run)}`);
    return performance.now() - started;
  };
  const withPack = "--policy-pack policy/platform --policy-pack-config policy/platform/config/none.json";
  const plain: number[] = [], cold: number[] = [], warm: number[] = [];
  const trials = 3;
  for (let trial = 0; trial < trials; trial++) {
    plain.push(await preview(""));
    fs.rmSync(renderCache, { recursive: true, force: true });
    cold.push(await preview(withPack));
    warm.push(await preview(withPack));
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { trials, plain: median(plain), cold: median(cold), warm: median(warm) };
}

/** The end of what a failed command printed: the engine's error may be in its --json on stdout or on stderr. */
function tail(result: { stdout: string; stderr: string }): string {
  return `\n--- stdout (end) ---\n${result.stdout.slice(-3000)}\n--- stderr (end) ---\n${result.stderr.slice(-3000)}`;
}

/** How many stacks a drift check refreshed with the engine, and which, from its --json report. */
function refreshedStacks(json: string): string {
  const { report } = JSON.parse(json) as { report: { stacks: { stack: string; driftFrom?: string; durationMs: number }[] } };
  const refreshed = report.stacks.filter((stack) => stack.driftFrom === "refresh");
  const times = report.stacks.map((stack) => `${stack.stack.split("-")[0]} ${(stack.durationMs / 1000).toFixed(1)}s`).join(", ");
  return `${refreshed.length} of ${report.stacks.length}${refreshed.length > 0 && refreshed.length < report.stacks.length ? `: ${refreshed.map((s) => s.stack).join(", ")}` : ""}; per stack ${times}`;
}

/** Objects each layer's Helm releases installed, read from the releases' own records on the cluster. */
async function objectsPerLayer(kubeconfig: string, env: EnvironmentSpec, stacks: readonly StackId[]) {
  const client = localClient(kubeconfig);
  if (!client) throw new Error(`${kubeconfig}: no token for the bench cluster`);
  const releases = await deployedReleases(client, env, stacks);
  const layerOf = new Map(stacks.map((stack) => [stack.name, stack.layer]));
  const counts = new Map<string, number>();
  for (const { stack, release } of releases) counts.set(layerOf.get(stack)!, (counts.get(layerOf.get(stack)!) ?? 0) + manifestObjects(release).length);
  const perLayer = LAYER_NAMES.map((layer) => [layer, counts.get(layer) ?? 0] as const);
  return { perLayer, total: perLayer.reduce((sum, [, n]) => sum + n, 0), releases: releases.length };
}

const SECTIONS: Record<string, () => void | Promise<void>> = { "1": schedulerBench, "2": planningBench, "3": localRunBench, "4": commandBench, "5": startupBench };

/** `npm run bench` runs every section; `npm run bench -- 2 4` only those. */
async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((section) => !(section in SECTIONS));
  if (unknown.length) throw new Error(`unknown bench section ${unknown.join(", ")}: the sections are ${Object.keys(SECTIONS).join(", ")}`);
  console.log(`npm run bench ${new Date().toISOString()} (load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}, ${os.cpus().length} cores)`);
  for (const section of asked.length ? asked : Object.keys(SECTIONS)) await SECTIONS[section]!();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
