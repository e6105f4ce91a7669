import type { ResolvedUsageDelivery } from './usage-delivery-options.js';

export type RetryPolicy = ResolvedUsageDelivery['retry'];

/**
 * Failed tries in a row (no delivery in between) before the pacer closes its gate. A sink failing 20 % of
 * tries at random fails three in a row on 0.8 % of them, and a delivery still in flight then usually
 * reopens the gate at once; a sink that is down fails three in a row at once.
 */
export const PACE_AFTER_FAILURES = 3;

/**
 * Capped exponential backoff with full jitter (uniform in [0, min(cap, initial × 2^(level−1))]): it
 * spreads the tries of many processes best (AWS Architecture Blog, "Exponential Backoff and Jitter").
 */
export function backoffDelayMs(level: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (level - 1));
  return Math.round(random() * ceiling);
}

/**
 * Paces the sink as a whole rather than each batch: a batch waiting for its retry holds no delivery slot,
 * so what keeps a failing sink from being hammered is one gate before every new try. Fewer than
 * `PACE_AFTER_FAILURES` failures in a row do not close it (a sink failing at random keeps its full
 * throughput); from there on a failure closes it for a backoff that doubles with each closing, and a
 * delivery reopens it. A Retry-After closes it for that long (up to `maxDelayMs`) whatever else happens.
 *
 * The backoff level grows once per gate closing, not once per failed try: the tries started together at
 * one opening (up to `concurrency`) all fail together when the sink is down, and counting each would
 * multiply the wait by 2^concurrency per opening. A failure of a try started before the latest closing
 * (`epoch` moved on) is counted but does not close the gate again.
 */
export class SinkPacer {
  private failures = 0;
  private level = 0;
  private currentEpoch = 0;
  private backoffUntil = 0;
  private retryAfterUntil = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = 0;

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number,
    /** Called when the gate opens after `mayStart()` found it closed. */
    private readonly onOpen: () => void,
  ) {}

  /** Tag a try with this when it starts, and give it back to `failed()`. */
  get epoch(): number {
    return this.currentEpoch;
  }

  /** Failed tries since the last delivery. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** How long the gate stays closed from now (0: open). */
  get closedForMs(): number {
    return Math.max(0, this.openAt() - performance.now());
  }

  /** The sink took a batch: it is up, so the backoff ends (a Retry-After still stands: the sink asked). */
  succeeded(): void {
    this.failures = 0;
    this.level = 0;
    this.backoffUntil = 0;
  }

  /** A try started at `epoch` failed and may be retried. */
  failed(epoch: number, retryAfterMs?: number): void {
    this.failures++;
    const now = performance.now();
    if (retryAfterMs !== undefined && retryAfterMs > 0) {
      // Capped: a huge Retry-After must not park every record for hours.
      const until = now + Math.min(retryAfterMs, this.policy.maxDelayMs);
      this.retryAfterUntil = Math.max(this.retryAfterUntil, until);
    }
    if (this.failures >= PACE_AFTER_FAILURES && epoch === this.currentEpoch) {
      this.currentEpoch++;
      this.level++;
      this.backoffUntil = now + backoffDelayMs(this.level, this.policy, this.random);
    }
  }

  /**
   * Whether a try may start now. If not, the one gate timer is armed to call `onOpen` when it opens, so
   * call this only when a try is waiting: an idle dispatcher keeps no timer.
   */
  mayStart(): boolean {
    const openAt = this.openAt();
    const now = performance.now();
    if (openAt <= now) {
      this.cancel();
      return true;
    }
    if (this.timer === undefined || this.timerAt !== openAt) {
      this.cancel();
      this.timerAt = openAt;
      // Timers may fire a little early against performance.now(); mayStart() then just re-arms.
      this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(openAt - now)));
    }
    return false;
  }

  /** Clears the gate timer (idle, or stopped). */
  cancel(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private openAt(): number {
    return Math.max(this.backoffUntil, this.retryAfterUntil);
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.onOpen();
  };
}
