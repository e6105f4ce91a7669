export interface RetryPolicy {
  /** Retries on the same provider after the first try, for transient errors. Default 2. */
  maxRetries: number;
  /** First backoff ceiling. Default 250 ms. */
  initialDelayMs: number;
  /** Backoff cap. Default 8 s. */
  maxDelayMs: number;
  /** Growth per retry. Default 2. */
  factor: number;
  /** A Retry-After longer than this moves on to the next provider instead of waiting. Default 30 s. */
  maxRetryAfterMs: number;
  /**
   * Passes over the providers: when every provider failed with a transient error (or a malformed answer) and
   * the deadline leaves room, the router goes around again after a backoff, up to this many passes in all.
   * Default 3; 1 turns it off.
   */
  maxPasses: number;
}

/**
 * Capped exponential backoff with full jitter: a uniform delay in [0, min(cap, initial × factor^retry)].
 * Full jitter spreads retries of many clients best (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
export function computeBackoffMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** retry);
  return Math.round(random() * ceiling);
}
