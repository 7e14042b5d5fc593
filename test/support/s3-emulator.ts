import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, waitFor } from "../../tools/cluster/processes";
import { startEmulatorProcess } from "./emulator-process";

/** gofakes3 (built by setup) on a free loopback port, in memory, with one bucket for state. */
export interface TestS3Backend {
  /** The s3:// URL Pulumi's DIY backend and the orchestrator both read. */
  readonly url: string;
  readonly envVars: Record<string, string>;
  dispose(): Promise<void>;
}

export async function startS3Emulator(bucket = "state"): Promise<TestS3Backend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-s3-"));
  const port = await freePort();
  const server = startEmulatorProcess("bash", ["-c", 'source tools/env.sh && exec gofakes3 "$@"', "gofakes3", "-host", `127.0.0.1:${port}`, "-backend", "memory", "-initialbucket", bucket], {
    cwd: path.resolve(__dirname, "../.."),
    logFile: path.join(dir, "gofakes3.log"),
    dir,
  });
  const stop = () => server.stop();
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => (socket.destroy(), resolve(true)));
      socket.on("error", () => resolve(false));
    });
  try {
    await waitFor(`gofakes3 on 127.0.0.1:${port} (log ${dir}/gofakes3.log; is it built? run npm run setup)`, listening, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `s3://${bucket}?endpoint=127.0.0.1:${port}&disable_https=true&use_path_style=true&region=us-east-1`,
    envVars: { AWS_ACCESS_KEY_ID: "platform-test", AWS_SECRET_ACCESS_KEY: "platform-test-secret", AWS_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" },
    dispose: stop,
  };
}
