import { createHash } from "node:crypto";
import { withRetry, type RetryPolicy } from "../run/retry";

/** Where a message goes: its secret config name (safe to show) and its URL (never shown). */
export interface Destination {
  readonly name: string;
  readonly kind: "slack" | "webhook";
  readonly url: string;
}

export interface DeliveryResult {
  readonly delivered: boolean;
  readonly attempts: number;
  readonly error?: string;
}

export interface DeliveryOptions {
  /** The whole budget for this destination, retries and backoff included. */
  readonly timeoutMs: number;
  readonly retries: number;
  readonly baseDelayMs?: number;
}

/** The same key for every attempt and every re-send of one event to one destination, so receivers can drop duplicates. */
export function idempotencyKey(kind: string, subject: string, destination: string): string {
  return createHash("sha256").update(`${kind}\u0000${subject}\u0000${destination}`).digest("hex").slice(0, 32);
}

class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/**
 * POSTs `body` as JSON: retries network errors, timeouts, 429 and 5xx with backoff, all within
 * `timeoutMs`. Never throws, and no error message carries the URL (it holds the secret).
 */
export async function deliver(destination: Destination, body: object, key: string, options: DeliveryOptions): Promise<DeliveryResult> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const policy: RetryPolicy = { attempts: options.retries + 1, baseDelayMs: options.baseDelayMs ?? 250, maxDelayMs: 2_000 };
  let attempts = 0;
  try {
    const result = await withRetry(
      async () => {
        attempts++;
        if (deadline.aborted) throw new DeliveryError(`no answer within ${options.timeoutMs} ms`, false);
        await post(destination.url, body, key, deadline, options.timeoutMs);
      },
      policy,
      { isRetryable: (error) => error instanceof DeliveryError && error.retryable && !deadline.aborted, signal: deadline },
    );
    return { delivered: true, attempts: result.attempts };
  } catch (error) {
    return { delivered: false, attempts, error: (error as Error).message };
  }
}

async function post(url: string, body: object, key: string, signal: AbortSignal, timeoutMs: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "idempotency-key": key, "user-agent": "platform-orchestrator" },
      body: JSON.stringify(body),
      signal,
      redirect: "error",
    });
  } catch (error) {
    if (signal.aborted) throw new DeliveryError(`no answer within ${timeoutMs} ms`, false);
    const code = ((error as Error).cause as { code?: string } | undefined)?.code;
    throw new DeliveryError(`could not connect${code ? ` (${code})` : ""}`, true);
  }
  await response.body?.cancel();
  if (response.ok) return;
  throw new DeliveryError(`HTTP ${response.status}`, response.status === 408 || response.status === 429 || response.status >= 500);
}
