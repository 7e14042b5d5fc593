import type { Command } from "commander";
import { loadEnvironment } from "../../../environments/load";
import { openWorkspace, type WorkspaceOptions } from "../../workspace/workspace";
import { withEnvironmentOption, withWorkspaceOptions } from "../options/command-options";
import { EXIT } from "../output/exit-codes";
import type { CommandContext } from "./context";

interface LeaseFlags extends WorkspaceOptions {
  env: string;
  id: string;
}

/**
 * `lock acquire|release`: a lease held by a whole CI workflow run. Its first job takes it
 * under the run's id, every job joins it (PLATFORM_LOCK_ID), and a last job releases it; jobs of
 * other runs and laptops are refused meanwhile (exit 4). A file:// backend refuses both (exit 3):
 * its lock is judged by the process that wrote it, and this one exits at once.
 */
export function addLockCommand(program: Command, _context: CommandContext): void {
  const lock = program.command("lock").description("the environment lock held across the jobs of one CI workflow run (shared backends)");
  const acquire = withEnvironmentOption(
    lock.command("acquire").description("take the environment's lock under an id and keep it after exit (PLATFORM_LOCK_TTL_SECONDS bounds it)"),
    { required: true },
  ).requiredOption("--id <id>", "the lease id jobs join with PLATFORM_LOCK_ID, e.g. gha-<run id>-<attempt>");
  withWorkspaceOptions(acquire)
    .addHelpText(
      "after",
      "\nExample:\n  PLATFORM_LOCK_TTL_SECONDS=3600 npm run lock -- acquire --env prod --id gha-$GITHUB_RUN_ID-$GITHUB_RUN_ATTEMPT\n\nExit codes: 0 held, 4 locked by another run, 3 a file:// backend (needs azblob:// or s3://)",
    )
    .action(async (flags: LeaseFlags) => {
      const env = loadEnvironment(flags.env);
      const held = await openWorkspace(flags).locks.acquireShared(env.name, flags.id);
      process.stdout.write(`lock on ${env.name} held under ${flags.id} (${held.file})\n`);
    });
  const release = withEnvironmentOption(lock.command("release").description("end the lease taken under an id"), { required: true }).requiredOption("--id <id>", "the id given to acquire");
  withWorkspaceOptions(release).action(async (flags: LeaseFlags) => {
    const env = loadEnvironment(flags.env);
    if (await openWorkspace(flags).locks.releaseShared(env.name, flags.id)) process.stdout.write(`lock on ${env.name} released\n`);
    else {
      process.stderr.write(`error: the lock on ${env.name} is held by another run, not ${flags.id}; left alone\n`);
      process.exitCode = EXIT.locked;
    }
  });
}
