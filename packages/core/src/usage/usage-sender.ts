import type { StopSignal } from './stop-signal.js';
import type { ResolvedUsageDelivery } from './usage-delivery-options.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageSink } from './usage-sink.js';

export type RetryPolicy = ResolvedUsageDelivery['retry'];

/** How a batch ended after all its tries. */
export type BatchResult =
  | { kind: 'delivered'; attempts: number }
  | {
      kind: 'failed';
      reason: 'rejected' | 'retries-exhausted';
      attempts: number;
      message: string;
      status?: number;
    }
  /** `close()` stopped waiting: the records are not decided and go back to the store. */
  | { kind: 'stopped'; attempts: number };

export interface RetryNotice {
  attempt: number;
  delayMs: number;
  message: string;
  status?: number;
}

/**
 * Capped exponential backoff with full jitter (uniform in [0, min(cap, initial × 2^(attempt−1))]): it
 * spreads the retries of many records best (AWS Architecture Blog, "Exponential Backoff and Jitter").
 * A Retry-After from the sink replaces it, up to the same cap, so a huge one cannot park a delivery slot.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Waits `ms`; resolves false at once when `stop` fires (and clears the timer), true otherwise. */
export function pause(ms: number, stop: StopSignal): Promise<boolean> {
  if (stop.stopped) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      unsubscribe();
      resolve(true);
    }, ms);
    const unsubscribe = stop.subscribe(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * Tries one batch until the sink takes it, refuses it for good, the retry budget is spent, or `stop`
 * fires. The batch keeps its delivery slot while it waits, so `concurrency` bounds tries in flight and
 * a sink that is down gets at most that many requests at a time.
 */
export async function sendWithRetries(
  records: readonly UsageRecord[],
  sink: UsageSink,
  policy: RetryPolicy,
  stop: StopSignal,
  random: () => number,
  onRetry: (records: readonly UsageRecord[], notice: RetryNotice) => void,
): Promise<BatchResult> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await sink.send(records, stop);
    switch (outcome.kind) {
      case 'delivered':
      case 'stopped':
        return { kind: outcome.kind, attempts: attempt };
      case 'reject':
        return { kind: 'failed', reason: 'rejected', attempts: attempt, ...messageOf(outcome) };
    }
    if (attempt >= policy.maxAttempts) {
      return { kind: 'failed', reason: 'retries-exhausted', attempts: attempt, ...messageOf(outcome) };
    }
    const delayMs = retryDelayMs(attempt, policy, random, outcome.retryAfterMs);
    onRetry(records, { attempt, delayMs, ...messageOf(outcome) });
    if (!(await pause(delayMs, stop))) return { kind: 'stopped', attempts: attempt };
  }
}

function messageOf(outcome: { message: string; status?: number }): { message: string; status?: number } {
  return outcome.status === undefined
    ? { message: outcome.message }
    : { message: outcome.message, status: outcome.status };
}
