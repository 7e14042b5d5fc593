import type { Response } from "express";
import type { DashboardData } from "./dashboard-sources";
import type { RunView } from "./run-view";

const NEWEST = 5;

/**
 * Follows the newest journals of every environment and pushes each run whose view changed to the
 * open pages as server-sent events. One reader for all pages: fifty pages cost one read a tick.
 */
export class LiveFeed {
  private readonly clients = new Set<Response>();
  private readonly sent = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    private readonly data: DashboardData,
    private readonly intervalMs = 1000,
    private readonly onError: (error: Error) => void = () => {},
  ) {}

  get connections(): number {
    return this.clients.size;
  }

  subscribe(response: Response): void {
    response.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", Connection: "keep-alive" });
    response.write("retry: 2000\n\n");
    this.clients.add(response);
    response.on("close", () => this.clients.delete(response));
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs);
  }

  /** Reads the newest runs once and sends those that changed since the last tick. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      for (const env of await this.data.environments()) {
        for (const run of await this.data.recentRuns(env, NEWEST)) this.sendIfChanged(run);
      }
    } catch (error) {
      this.onError(error as Error);
    } finally {
      this.ticking = false;
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private sendIfChanged(run: RunView): void {
    const key = `${run.env}/${run.id}`;
    const body = JSON.stringify(run);
    if (this.sent.get(key) === body) return;
    this.sent.set(key, body);
    for (const client of this.clients) client.write(`event: run\ndata: ${body}\n\n`);
  }
}
