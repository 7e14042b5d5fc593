import { loadEnvironment } from "../../environments/load";
import * as path from "node:path";
import { driftCommand } from "../../orchestrator/cli/drift-command";
import { operate } from "../../orchestrator/cli/operate";
import { deployedReleases } from "../../orchestrator/drift/release-drift";
import { manifestObjects } from "../../orchestrator/drift/release-objects";
import { openWorkspace } from "../../orchestrator/cli/workspace";
import { criticalPath, makeGraph, topologicalOrder, waves } from "../../orchestrator/plan/graph";
import { planRun } from "../../orchestrator/plan/plan";
import { scheduleEager, scheduleWaves } from "../../orchestrator/run/scheduler";
import { defaultCluster } from "../../tools/cluster/default-cluster";
import { localClient } from "../../tools/cluster/kube-client";
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
  console.log("\n3. the real platform on the local cluster (real charts): first up, no-op up, drift, destroy, objects per layer");
  const cluster = defaultCluster(true);
  if ((await cluster.status()).state !== "running") {
    console.log("   skipped: the local cluster is not running (npm run cluster -- start)");
    return;
  }
  const workspace = openWorkspace();
  const env = loadEnvironment("local");
  const plan = planRun(env, { operation: "up" });
  const quiet = { env: "local", parallel: 4, json: true, emitJson: false } as const;
  await operate(workspace, "destroy", quiet);
  const first = (await operate(workspace, "up", { ...quiet, force: true, policyPacks: [workspace.policyPack] })).record!;
  const took = new Map(first.stacks.map((s) => [s.stack.name, s.durationMs]));
  const cp = criticalPath(plan.graph, (n) => took.get(n) ?? 0);
  console.log(`   first up from empty: ${first.status}, wall ${seconds(first.durationMs)}, critical path ${seconds(cp.total)} (${cp.path.join(" -> ")}), wall/critical path ${ratio(first.durationMs, cp.total)}`);
  const noop = (await operate(workspace, "up", { ...quiet, policyPacks: [workspace.policyPack] })).record!;
  console.log(`   no-op up: ${noop.stacks.map((s) => s.outcome.status).filter((s) => s === "unchanged").length}/${noop.stacks.length} unchanged, wall ${seconds(noop.durationMs)}`);
  const started = Date.now();
  const drift = await driftCommand(workspace, { env: "local", parallel: 4, json: true });
  const slowest = Math.max(...drift.report.stacks.map((s) => s.durationMs));
  console.log(`   drift over ${drift.report.stacks.length} stacks: wall ${seconds(Date.now() - started)}, slowest single stack ${seconds(slowest)}, ratio ${ratio(Date.now() - started, slowest)}`);
  const client = localClient(path.resolve(workspace.root, env.local!.kubeconfig))!;
  const releases = await deployedReleases(client, env, plan.stacks);
  for (const stack of plan.stacks) {
    const objects = releases.filter((r) => r.stack === stack.name).reduce((sum, r) => sum + manifestObjects(r.release).length, 0);
    console.log(`   ${stack.name.padEnd(20)} ${String(objects).padStart(4)} objects in its Helm releases`);
  }
  const destroy = (await operate(workspace, "destroy", quiet)).record!;
  console.log(`   destroy: ${destroy.status}, wall ${seconds(destroy.durationMs)}`);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

async function main(): Promise<void> {
  await schedulerBench();
  planningBench();
  await localRunBench();
}

void main();
