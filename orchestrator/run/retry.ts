import { PreflightError } from "../model/preflight-error";

export interface RetryPolicy {
  /** Total attempts, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; doubles each time, with jitter. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 2_000, maxDelayMs: 30_000 };

/** Why `source` cannot be an extra transient-error pattern (--retry-on), or undefined when it compiles. */
export function retryPatternProblem(source: string): string | undefined {
  try {
    new RegExp(source, "i");
    return undefined;
  } catch (error) {
    return `not a valid regular expression (${(error as Error).message}); write one such as "rate limit|429"`;
  }
}

/** The --retry-on patterns, compiled case-insensitive; a bad one stops the run before anything is touched. */
export function retryPatterns(sources: readonly string[]): RegExp[] {
  return sources.map((source) => {
    const problem = retryPatternProblem(source);
    if (problem) throw new PreflightError(`--retry-on "${source}": ${problem}`);
    return new RegExp(source, "i");
  });
}

/** Delay before attempt `attempt` (2, 3, ...): exponential, capped, with up to 20% jitter. Pure given `random`. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
  return Math.round(exponential * (1 - 0.2 * random()));
}

export interface RetryHooks {
  readonly isRetryable: (error: unknown) => boolean;
  readonly onRetry?: (attempt: number, delayMs: number, error: unknown) => void;
  readonly signal?: AbortSignal;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `work` until it succeeds, fails with a non-retryable error, or attempts run out. Returns the result and attempts used. */
export async function withRetry<T>(work: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<{ value: T; attempts: number }> {
  const sleep = hooks.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await work(), attempts: attempt };
    } catch (error) {
      if (attempt >= policy.attempts || !hooks.isRetryable(error) || hooks.signal?.aborted) {
        throw Object.assign(error instanceof Error ? error : new Error(String(error)), { attempts: attempt });
      }
      const delay = backoffDelay(policy, attempt + 1);
      hooks.onRetry?.(attempt + 1, delay, error);
      await sleep(delay, hooks.signal);
    }
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
