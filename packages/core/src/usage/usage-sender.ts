import type { SinkPacer } from './sink-pacer.js';
import type { StopSignal } from './stop-signal.js';
import type { UsageRecord } from './usage-record.js';
import type { UsageSink } from './usage-sink.js';

/** Records leased from the store for one delivery, and the tries made so far. */
export interface LeasedBatch {
  readonly records: readonly UsageRecord[];
  attempts: number;
}

/** A batch given up: the sink refused it for good, or its tries ran out. */
export interface FailedBatch {
  reason: 'rejected' | 'retries-exhausted';
  attempts: number;
  message: string;
  status?: number;
}

/** How one try of a batch ended. */
export type TryResult =
  | { kind: 'delivered' }
  | { kind: 'failed'; failure: FailedBatch }
  /** Worth another try; the batch waits for it without holding a delivery slot. */
  | { kind: 'retry' }
  /** `close()` stopped waiting: the records are not decided and go back to the store. */
  | { kind: 'stopped' };

/**
 * One try of a batch (one slot use), told to the pacer: a retryable failure with tries left comes back as
 * `retry` instead of waiting here, so a batch waiting for its retry never keeps a slot from the others.
 */
export async function tryBatch(
  batch: LeasedBatch,
  sink: UsageSink,
  maxAttempts: number,
  pacer: SinkPacer,
  stop: StopSignal,
): Promise<TryResult> {
  const epoch = pacer.epoch;
  batch.attempts++;
  const outcome = await sink.send(batch.records, stop);
  switch (outcome.kind) {
    case 'delivered':
      pacer.succeeded();
      return outcome;
    case 'stopped':
      return outcome;
    case 'reject':
      // The sink answered, and would answer this batch the same way: no reason to slow the others down.
      return { kind: 'failed', failure: failure('rejected', batch.attempts, outcome) };
  }
  pacer.failed(epoch, outcome.retryAfterMs);
  if (batch.attempts >= maxAttempts) {
    return { kind: 'failed', failure: failure('retries-exhausted', batch.attempts, outcome) };
  }
  return { kind: 'retry' };
}

function failure(
  reason: FailedBatch['reason'],
  attempts: number,
  outcome: { message: string; status?: number },
): FailedBatch {
  return outcome.status === undefined
    ? { reason, attempts, message: outcome.message }
    : { reason, attempts, message: outcome.message, status: outcome.status };
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
