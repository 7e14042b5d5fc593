import { Command } from "commander";
import { defaultCluster } from "./default-cluster";

/** `npm run cluster -- start|stop|status [--json]`: the local environment's Kubernetes API. */
async function main(): Promise<void> {
  const program = new Command("cluster")
    .description("Run the local environment's Kubernetes cluster on loopback: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok-simulated nodes")
    .addHelpText("after", "\nExamples:\n  npm run cluster -- start\n  npm run cluster -- status --json\n  npm run cluster -- stop\n\nExit codes: 0 ok; 1 error; 3 status: not running");
  program.command("start").description("start the cluster (idempotent)").action(async () => {
    await defaultCluster(false).start();
  });
  program.command("stop").description("stop the cluster, keeping its data (idempotent)").action(async () => {
    await defaultCluster(false).stop();
  });
  program.command("status").description("show whether the cluster runs").option("--json", "print the status as JSON").action(async (options: { json?: boolean }) => {
    const json = options.json ?? false;
    const status = await defaultCluster(json).status();
    if (json) console.log(JSON.stringify(status));
    else console.log(`[cluster] ${status.state}${status.state === "running" ? ` at ${status.server}` : ""}`);
    if (status.state !== "running") process.exitCode = 3;
  });
  await program.parseAsync(process.argv);
}

main().catch((error: Error) => {
  console.error(`[cluster] error: ${error.message}`);
  process.exitCode = 1;
});
