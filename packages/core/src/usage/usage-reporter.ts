import type { UsageDeliveryEvent, UsageDeliveryEventHandler } from './usage-events.js';
import type { UsageRecord } from './usage-record.js';
import type { FailedBatch } from './usage-sender.js';
import { describeError } from './usage-sink.js';

/** The router's warning handler shape (declared here so the usage folder stands on its own). */
export type UsageWarningHandler = (warning: {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}) => void;

/**
 * Tells the application about every record that was not delivered: one `onEvent` per record, and a
 * warning on the 1st, 10th, 100th… of each kind, so a sink that is down cannot flood the log. Messages
 * carry the provider name and the sink's redacted address, never a record's content or a secret.
 */
export class UsageReporter {
  dropped = 0;
  failed = 0;

  constructor(
    private readonly warnHandler: UsageWarningHandler,
    private readonly onEvent: UsageDeliveryEventHandler | undefined,
  ) {}

  drop(record: UsageRecord, reason: 'queue-full' | 'closed' | 'store-error', why: string): void {
    const before = this.dropped;
    this.dropped++;
    const message = `Usage record for ${record.provider} was dropped: ${why}`;
    this.emit({ type: 'usage-dropped', reason, record, message });
    if (reachesPowerOfTen(before, this.dropped)) {
      this.warn('usage-dropped', `${message} (${this.dropped} dropped so far)`);
    }
  }

  fail(records: readonly UsageRecord[], result: FailedBatch): void {
    const before = this.failed;
    this.failed += records.length;
    for (const record of records) {
      this.emit({
        type: 'usage-failed',
        reason: result.reason,
        record,
        attempts: result.attempts,
        ...(result.status === undefined ? {} : { status: result.status }),
        message: result.message,
      });
    }
    if (reachesPowerOfTen(before, this.failed)) {
      const what =
        records.length === 1
          ? `Usage record for ${records[0]!.provider} was`
          : `${records.length} usage records were`;
      const tries = `${result.attempts} ${result.attempts === 1 ? 'try' : 'tries'}`;
      this.warn(
        'usage-delivery-failed',
        `${what} not delivered: ${result.message} (${tries}; ${this.failed} not delivered so far)`,
      );
    }
  }

  /** A warning that can never throw into the delivery code (or the router's hot path). */
  warn(code: string, message: string): void {
    try {
      this.warnHandler({ code, message });
    } catch {
      // A warning handler that throws has nowhere left to report to.
    }
  }

  private emit(event: UsageDeliveryEvent): void {
    if (!this.onEvent) return;
    try {
      this.onEvent(event);
    } catch (error) {
      this.warn('usage-event-listener-failed', `The usage onEvent handler threw: ${describeError(error)}`);
    }
  }
}

/** Whether a power of ten lies in (before, after]: 0→1, 9→10, 95→105 do; 1→2 does not. */
function reachesPowerOfTen(before: number, after: number): boolean {
  let power = 1;
  while (power <= before) power *= 10;
  return power <= after;
}
