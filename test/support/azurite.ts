import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, waitFor } from "../../tools/cluster/processes";
import { startEmulatorProcess } from "./emulator-process";

const REPO = path.resolve(__dirname, "../..");
const ACCOUNT = "platformtest";

/** Azurite's blob service on a free loopback port with a temp data dir, and an empty container for state. */
export interface TestBlobBackend {
  /** The azblob:// URL Pulumi's DIY backend and the orchestrator both read. */
  readonly url: string;
  /** What a process needs to reach it: the account and a key made up for this server. */
  readonly envVars: Record<string, string>;
  readonly client: BlobServiceClient;
  dispose(): Promise<void>;
}

export async function startAzurite(container = "state"): Promise<TestBlobBackend> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-azurite-"));
  const port = await freePort();
  const key = randomBytes(64).toString("base64");
  const server = startEmulatorProcess(
    path.join(REPO, "node_modules", ".bin", "azurite-blob"),
    ["--blobHost", "127.0.0.1", "--blobPort", String(port), "--location", path.join(dir, "data"), "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--silent"],
    { env: { ...process.env, AZURITE_ACCOUNTS: `${ACCOUNT}:${key}` }, logFile: path.join(dir, "azurite.log"), dir },
  );
  const stop = () => server.stop();
  const serviceUrl = `http://127.0.0.1:${port}/${ACCOUNT}`;
  const client = new BlobServiceClient(serviceUrl, new StorageSharedKeyCredential(ACCOUNT, key));
  try {
    await waitFor(`Azurite on 127.0.0.1:${port} (log ${dir}/azurite.log)`, async () => (await client.getContainerClient(container).createIfNotExists(), true), 60_000);
  } catch (error) {
    const output = fs.existsSync(path.join(dir, "azurite.log")) ? fs.readFileSync(path.join(dir, "azurite.log"), "utf8") : "";
    await stop();
    throw new Error(`${(error as Error).message}\n${output}`);
  }
  return {
    url: `azblob://${container}?domain=127.0.0.1:${port}&protocol=http&localemu=true`,
    envVars: { AZURE_STORAGE_ACCOUNT: ACCOUNT, AZURE_STORAGE_KEY: key },
    client,
    dispose: stop,
  };
}
