import { Pushgateway, type Registry } from "prom-client";

/**
 * Replaces this environment's group on a Prometheus Pushgateway (PUT), so a later push never
 * double-counts: the metrics are totals over history, not increments.
 */
export async function pushMetrics(registry: Registry, gatewayUrl: string, env: string | undefined, timeoutMs = 10_000): Promise<string> {
  const gateway = new Pushgateway(gatewayUrl, { timeout: timeoutMs, headers: { "Content-Type": registry.contentType } }, registry);
  const groupings = { env: env ?? "all" };
  try {
    await gateway.push({ jobName: JOB, groupings });
  } catch (error) {
    throw new Error(`pushing metrics to ${redactUrl(gatewayUrl)} failed: ${(error as Error).message}; check --pushgateway and that the gateway is reachable`);
  }
  return `${redactUrl(gatewayUrl)} job=${JOB} env=${groupings.env}`;
}

const JOB = "platform_orchestrator";

/** A URL without its credentials or query, fit for a message. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}
