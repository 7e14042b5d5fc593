import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort, waitFor } from "../../tools/cluster/processes";
import { startEmulatorProcess } from "./emulator-process";

/** A real Prometheus (built by setup) on loopback, scraping one small real target every second. */
export interface TestPrometheus {
  /** Base URL of Prometheus's HTTP API. */
  readonly url: string;
  /** Sets the gauge `platform_test_error_ratio` the target exposes from its next scrape on. */
  setErrorRatio(value: number): void;
  /** Resolves once a query of the gauge answers `value`: Prometheus has scraped what the target now serves. */
  scraped(value: number): Promise<void>;
  dispose(): Promise<void>;
}

export const ERROR_RATIO_QUERY = "max(platform_test_error_ratio)";

export async function startPrometheus(): Promise<TestPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "platform-prometheus-"));
  let ratio = 0;
  const target = http.createServer((req, res) => {
    if (req.url !== "/metrics") return void res.writeHead(404).end();
    res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" });
    res.end(`# HELP platform_test_error_ratio Errors per request.\n# TYPE platform_test_error_ratio gauge\nplatform_test_error_ratio ${ratio}\n`);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const targetPort = (target.address() as AddressInfo).port;
  fs.writeFileSync(
    path.join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: target\n    static_configs:\n      - targets: ["127.0.0.1:${targetPort}"]\n`,
  );
  const port = await freePort();
  const server = startEmulatorProcess(
    "bash",
    ["-c", 'source tools/env.sh && exec prometheus "$@"', "prometheus", `--config.file=${path.join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`],
    { cwd: path.resolve(__dirname, "../.."), logFile: path.join(dir, "prometheus.log"), dir: path.join(dir, "data") },
  );
  const url = `http://127.0.0.1:${port}`;
  const dispose = async () => {
    await server.stop();
    await new Promise<void>((resolve) => target.close(() => resolve()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const answers = async (value: number) => {
    const body = (await (await fetch(`${url}/api/v1/query?query=${encodeURIComponent(ERROR_RATIO_QUERY)}`)).json()) as { data: { result: { value: [number, string] }[] } };
    return body.data.result.length > 0 && Number(body.data.result[0]!.value[1]) === value;
  };
  const scraped = (value: number) => waitFor(`Prometheus at ${url} to scrape platform_test_error_ratio ${value} (log ${dir}/prometheus.log; is it built? run npm run setup)`, () => answers(value), 30_000);
  try {
    await scraped(0);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url, setErrorRatio: (value) => void (ratio = value), scraped, dispose };
}
