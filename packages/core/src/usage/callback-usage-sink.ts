import type { StopSignal } from './stop-signal.js';
import type { UsageRecord } from './usage-record.js';
import { describeError, type SendOutcome, type UsageSink } from './usage-sink.js';
import { isThenable } from './usage-store.js';

const DELIVERED: SendOutcome = { kind: 'delivered' };
const STOPPED: SendOutcome = { kind: 'stopped' };

/**
 * Hands records to the application's function: `callback(record)` (one record per call) or
 * `batchCallback(records)`. A call that throws or rejects is tried again, unless its error says
 * `retryable: false`; a call that has not settled after `timeoutMs` counts as a failed try (it cannot be
 * cancelled, so it may still finish later: the record's `id` lets the application ignore the duplicate).
 */
export class CallbackUsageSink implements UsageSink {
  constructor(
    private readonly invoke: (records: readonly UsageRecord[]) => unknown,
    readonly maxBatchSize: number,
    private readonly timeoutMs: number,
  ) {}

  send(records: readonly UsageRecord[], stop: StopSignal): Promise<SendOutcome> {
    if (stop.stopped) return Promise.resolve(STOPPED);
    let result: unknown;
    try {
      result = this.invoke(records);
    } catch (error) {
      return Promise.resolve(failure(error));
    }
    // A synchronous callback needs no timer.
    if (!isThenable(result)) return Promise.resolve(DELIVERED);
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: SendOutcome) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        unsubscribe();
        resolve(outcome);
      };
      const timer = setTimeout(
        () =>
          finish({ kind: 'retry', message: `the usage callback did not settle within ${this.timeoutMs} ms` }),
        this.timeoutMs,
      );
      const unsubscribe = stop.subscribe(() => finish(STOPPED));
      try {
        result.then(
          () => finish(DELIVERED),
          (error: unknown) => finish(failure(error)),
        );
      } catch (error) {
        // A hand-made thenable whose then() throws.
        finish(failure(error));
      }
    });
  }
}

function failure(error: unknown): SendOutcome {
  const message = `the usage callback failed: ${describeError(error)}`;
  const permanent = (error as { retryable?: unknown } | null)?.retryable === false;
  return permanent ? { kind: 'reject', message } : { kind: 'retry', message };
}
