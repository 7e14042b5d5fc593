import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

/** A file:// state backend and passphrase in a temp dir, removed by `dispose` even after failures. */
export function tempBackend(): { url: string; envVars: Record<string, string>; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-state-"));
  return {
    url: `file://${dir}`,
    envVars: { PULUMI_BACKEND_URL: `file://${dir}`, PULUMI_CONFIG_PASSPHRASE: "integration-test-passphrase" },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Copies a fixture Pulumi program into a temp dir (so stack config files never land in the repo),
 * linking the repository's node_modules so the program resolves its packages.
 */
export function tempProgram(fixtureDir: string): { dir: string; dispose(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-program-"));
  fs.cpSync(fixtureDir, dir, { recursive: true });
  fs.symlinkSync(path.resolve(__dirname, "../../node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
