import * as http from "node:http";
import * as path from "node:path";
import express, { type Express } from "express";
import { PreflightError } from "../../model/preflight-error";
import { historyCharts, renderChart } from "../charts";
import { buildReportModel } from "../model";
import type { DashboardData } from "./dashboard-sources";
import { hostCheck, isLoopback, sameToken, securityHeaders, servedHosts, TOKEN_COOKIE, tokenCheck } from "./guards";
import { LiveFeed } from "./live-feed";

export interface DashboardSettings {
  readonly host: string;
  readonly port: number;
  /** Required for any address but loopback. */
  readonly token?: string;
  /** The page's own files (index.html, app.js, style.css). */
  readonly pageDir: string;
  /** The page's one library file: htm with preact, as published. */
  readonly pageLibrary: string;
  /** How often the live feed reads the newest journals. */
  readonly followMs?: number;
}

/** The read-only web app: guards first, then the page, its JSON and its live feed. */
export function dashboardApp(data: DashboardData, feed: LiveFeed, settings: DashboardSettings & { readonly allowedHosts: readonly string[] }): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(securityHeaders, hostCheck(settings.allowedHosts));
  const files = { root: settings.pageDir, dotfiles: "deny" as const };
  app.get("/", (_request, response) => response.sendFile("index.html", files));
  app.get(["/app.js", "/style.css"], (request, response) => response.sendFile(path.basename(request.path), files));
  // Browsers ask for it unprompted; no icon is better than a 404 in the console.
  app.get("/favicon.ico", (_request, response) => void response.status(204).end());
  app.get("/lib/preact-htm.js", (_request, response) => response.type("text/javascript").sendFile(settings.pageLibrary));
  app.post("/session", express.json({ limit: "2kb" }), (request, response) => {
    const given = (request.body as { token?: unknown } | undefined)?.token;
    if (settings.token === undefined || typeof given !== "string" || !sameToken(given, settings.token)) return void response.status(401).end();
    response.cookie(TOKEN_COOKIE, given, { httpOnly: true, sameSite: "strict", path: "/" }).status(204).end();
  });
  const api = express.Router();
  api.use(tokenCheck(settings.token));
  api.get("/overview", async (_request, response) => void response.json(await data.overview()));
  api.get("/runs/:env/:id", async (request, response) => {
    const { env, id } = request.params as { env: string; id: string };
    if (!(await data.environments()).includes(env)) return void response.status(404).json({ error: `no environment ${env}` });
    const view = await data.run(env, id).catch(() => undefined);
    if (!view) return void response.status(404).json({ error: `no run ${id} in ${env}` });
    response.json(view);
  });
  api.get("/promotions", async (_request, response) => void response.json(await data.promotions()));
  api.get("/trends", async (_request, response) => void response.json(await data.trends()));
  api.get("/charts/durations.svg", async (_request, response) => {
    const model = buildReportModel({ generatedAt: new Date().toISOString(), environments: [], runs: await data.history(), drift: [], promotions: [], deliveries: [] }, "trends");
    const chart = historyCharts(model).find((c) => c.id === "durations");
    if (!chart) return void response.status(404).end();
    response.type("image/svg+xml").send(await renderChart(chart));
  });
  api.get("/events", (_request, response) => feed.subscribe(response));
  app.use("/api", api);
  app.use((_request: express.Request, response: express.Response) => void response.status(404).end());
  app.use((error: Error, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    void _next;
    response.status(500).json({ error: error.message.split("\n")[0] });
  });
  return app;
}

export interface RunningDashboard {
  readonly url: string;
  readonly feed: LiveFeed;
  close(): Promise<void>;
}

/** Serves the dashboard until closed; refuses any address but loopback without a token. */
export async function serveDashboard(data: DashboardData, settings: DashboardSettings, onError: (error: Error) => void = () => {}): Promise<RunningDashboard> {
  if (!isLoopback(settings.host) && !settings.token) {
    throw new PreflightError(`--host ${settings.host}: any address but 127.0.0.1 needs an access token; set PLATFORM_DASHBOARD_TOKEN`);
  }
  const feed = new LiveFeed(data, settings.followMs, onError);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  server.on("request", dashboardApp(data, feed, { ...settings, allowedHosts: servedHosts(settings.host, port) }));
  const shown = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  return {
    url: `http://${shown}:${port}/`,
    feed,
    close: async () => {
      feed.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
