import type { StopSignal } from './stop-signal.js';
import type { UsageRecord } from './usage-record.js';

/** How one try to hand records to a sink ended. Sinks never throw: every ending is one of these. */
export type SendOutcome =
  | { kind: 'delivered' }
  /** Worth trying again (5xx, 408, 429, network, timeout, a failing callback); `retryAfterMs` from the sink. */
  | { kind: 'retry'; message: string; status?: number; retryAfterMs?: number }
  /** Trying again cannot help (a 4xx such as 400 or 401): the records are given up at once. */
  | { kind: 'reject'; message: string; status?: number }
  /** `close()` gave up waiting and aborted the try: the records go back to the store, undecided. */
  | { kind: 'stopped' };

/** One destination for usage records: the HTTP endpoint or the application's callback. */
export interface UsageSink {
  /** The most records one `send` takes (1 for a per-record callback). */
  readonly maxBatchSize: number;
  /** One try. Ends by itself within the sink's timeout, or at once with `stopped` when `stop` fires. */
  send(records: readonly UsageRecord[], stop: StopSignal): Promise<SendOutcome>;
}

/** An error's message without assuming it is an Error. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
