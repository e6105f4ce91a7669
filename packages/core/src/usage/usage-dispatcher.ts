import { createUsageSink, type UsageSinkOptions } from './create-usage-sink.js';
import { SettleTracker } from './settle-tracker.js';
import { SinkPacer } from './sink-pacer.js';
import { StopSignal } from './stop-signal.js';
import {
  type ResolvedUsageDelivery,
  resolveUsageDelivery,
  type UsageDeliveryOptions,
} from './usage-delivery-options.js';
import type { UsageCloseReport, UsageDeliveryEventHandler, UsageStats } from './usage-events.js';
import { createUsageRecordId, type UsageRecord } from './usage-record.js';
import { UsageReporter, type UsageWarningHandler } from './usage-reporter.js';
import { type LeasedBatch, pause, type TryResult, tryBatch } from './usage-sender.js';
import { describeError, type UsageSink } from './usage-sink.js';
import { isThenable, type UsageStore } from './usage-store.js';

export {
  DEFAULT_USAGE_TIMEOUT_MS,
  type UsageBatchCallback,
  type UsageCallback,
} from './create-usage-sink.js';
export type {
  UsageCloseReport,
  UsageDeliveryEvent,
  UsageDeliveryEventHandler,
  UsageStats,
} from './usage-events.js';
export type { UsageWarningHandler } from './usage-reporter.js';

export interface UsageDispatcherOptions extends UsageDeliveryOptions, UsageSinkOptions {
  /** Summaries of drops and failures (the 1st, 10th, 100th… of each), never secrets. Default: none. */
  warn?: UsageWarningHandler;
  /** Every drop and failure, record by record. A throwing handler becomes a warning. */
  onEvent?: UsageDeliveryEventHandler;
  /** Jitter source (seeded in tests). Default `Math.random`. */
  random?: () => number;
}

export const DEFAULT_USAGE_CLOSE_TIMEOUT_MS = 10_000;

/**
 * Delivers usage records at least once, never delaying or failing the caller: `deliver()` puts a record
 * in a bounded store and returns; up to `concurrency` tries at a time take batches from it. A batch that
 * fails waits for its retry in a list (still leased, still counted) without holding a slot, and is tried
 * again before new batches; the sink as a whole is paced instead (`SinkPacer`: after a few failures in a
 * row, no try starts before a gate time with capped exponential backoff and full jitter). So a sink failing
 * at random keeps its throughput, and one that is down gets a few tries per gate opening. A record is only
 * given up (`usage-failed`) when the sink refuses it for good or the retry budget is spent, and only
 * dropped (`usage-dropped`) when the queue is full or closed; both are counted and reported. A retried
 * record keeps its `id`, so sinks deduplicate. Nothing runs while the queue is empty: no interval, no timer.
 */
export class UsageDispatcher {
  private readonly sink: UsageSink | undefined;
  private readonly delivery: ResolvedUsageDelivery;
  private readonly store: UsageStore;
  private readonly batchSize: number;
  private readonly report: UsageReporter;
  private readonly random: () => number;
  private readonly tracker = new SettleTracker();
  private readonly pacer: SinkPacer;
  /** Batches that failed and wait for their next try, oldest first; their records count as in flight. */
  private readonly retryList: LeasedBatch[] = [];
  /** Fired when `close()` gives up waiting: in-flight tries end at once. */
  private readonly stop = new StopSignal();
  private state: 'open' | 'closing' | 'stopped' = 'open';
  private closing: Promise<UsageCloseReport> | undefined;
  private idleWaiters: (() => void)[] = [];

  private queued = 0;
  /** Records whose asynchronous `store.add` has not answered yet (they count against `maxQueueSize`). */
  private adding = 0;
  /** Records leased from the store: being tried, or in `retryList`. */
  private inFlight = 0;
  /** Slots in use: tries in flight (and takes from the store before them). */
  private active = 0;
  private delivered = 0;
  private retries = 0;

  private pumpScheduled = false;
  private batchTimer: ReturnType<typeof setTimeout> | undefined;
  private batchDue = false;

  constructor(options: UsageDispatcherOptions) {
    const { callback, batchCallback, url, headers, timeoutMs, fetch, warn, onEvent, random, ...rest } =
      options;
    this.delivery = resolveUsageDelivery(rest);
    this.store = this.delivery.store;
    this.report = new UsageReporter(warn ?? (() => {}), onEvent);
    this.random = random ?? Math.random;
    this.pacer = new SinkPacer(this.delivery.retry, this.random, () => this.schedulePump());
    this.sink = createUsageSink(
      { callback, batchCallback, url, headers, timeoutMs, fetch },
      this.delivery.batchSize,
    );
    this.batchSize = this.sink?.maxBatchSize ?? 1;
    // A durable store may still hold records from an earlier run: they are delivered first.
    if (this.sink && this.delivery.customStore) void this.adoptStoredRecords();
  }

  get enabled(): boolean {
    return this.sink !== undefined;
  }

  /**
   * Queues one record; synchronous, cheap and never throws. Without an `id`, one is given. Starts a
   * delivery on a microtask, so even a synchronous callback runs after the caller has its result.
   */
  deliver(record: UsageRecord): void {
    if (this.sink === undefined) return;
    try {
      if (this.state !== 'open') {
        this.report.drop(record, 'closed', 'usage delivery is closed');
        return;
      }
      if (this.held() >= this.delivery.maxQueueSize) {
        this.report.drop(
          record,
          'queue-full',
          `the usage queue is full (${this.delivery.maxQueueSize} records held; raise maxQueueSize or check the sink)`,
        );
        return;
      }
      const stored = record.id ? record : { ...record, id: createUsageRecordId() };
      this.tracker.accept(stored.id);
      let added: void | PromiseLike<void>;
      try {
        added = this.store.add(stored);
      } catch (error) {
        this.refused(stored, error);
        return;
      }
      if (isThenable(added)) {
        this.adding++;
        added.then(
          () => {
            this.adding--;
            this.queued++;
            this.schedulePump();
          },
          (error: unknown) => {
            this.adding--;
            this.refused(stored, error);
          },
        );
      } else {
        this.queued++;
        this.schedulePump();
      }
    } catch (error) {
      // Defensive: nothing above should throw (handlers and the store are guarded), but the caller must never see it.
      this.report.warn('usage-delivery-failed', `Usage delivery failed internally: ${describeError(error)}`);
    }
  }

  /** Resolves when every record queued before the call is delivered or given up (or close() stopped). */
  flush(): Promise<void> {
    if (this.state === 'stopped') return Promise.resolve();
    const settled = this.tracker.whenSettled();
    // A partial batch waiting to fill up goes now.
    this.schedulePump();
    return settled;
  }

  /**
   * Stops accepting records (later ones are dropped with reason `closed`), delivers what is held, and
   * resolves when that is done or after `timeoutMs` (default 10 s), whichever is first; then tries in
   * flight are aborted, and their records and those waiting for a retry go back to the store. Never
   * rejects; a second call returns the first one's report.
   */
  close(options: { timeoutMs?: number } = {}): Promise<UsageCloseReport> {
    this.closing ??= this.runClose(options.timeoutMs ?? DEFAULT_USAGE_CLOSE_TIMEOUT_MS);
    return this.closing;
  }

  stats(): UsageStats {
    return {
      queued: this.queued + this.adding,
      inFlight: this.inFlight,
      delivered: this.delivered,
      retries: this.retries,
      dropped: this.report.dropped,
      failed: this.report.failed,
    };
  }

  /** Records held: waiting or being delivered. */
  get pendingCount(): number {
    return this.held();
  }

  private held(): number {
    return this.queued + this.adding + this.inFlight;
  }

  private async runClose(timeoutMs: number): Promise<UsageCloseReport> {
    if (this.state === 'open') this.state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const drained = await Promise.race([this.whenIdle().then(() => true), timedOut]);
    clearTimeout(timer);
    const pending = this.held();
    this.halt();
    // Awaited, so a durable store has them back when close() resolves (aborted tries follow on their own).
    const waiting = this.retryList.splice(0);
    if (waiting.length > 0) await this.putBack(waiting.flatMap((batch) => batch.records));
    return {
      drained: drained && pending === 0,
      pending,
      delivered: this.delivered,
      failed: this.report.failed,
      dropped: this.report.dropped,
    };
  }

  /** Resolves when nothing is held; `close()` refuses new records first, so this is reached. */
  private whenIdle(): Promise<void> {
    if (this.sink === undefined || this.held() === 0) return Promise.resolve();
    this.schedulePump();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private wakeIfIdle(): void {
    if (this.held() !== 0) return;
    this.pacer.cancel();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private halt(): void {
    this.state = 'stopped';
    this.stop.stop();
    this.clearBatchTimer();
    this.pacer.cancel();
    this.tracker.releaseAll();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private schedulePump(): void {
    if (this.pumpScheduled || this.state === 'stopped' || this.active >= this.delivery.concurrency) return;
    if (this.queued === 0 && this.retryList.length === 0) return;
    this.pumpScheduled = true;
    queueMicrotask(this.pump);
  }

  /**
   * Starts tries while slots are free, batches wait and the pacer lets them: retries first, oldest first,
   * then new batches. New records thus never overtake a failed batch for long, and no more batches wait
   * for a retry than there are slots. An arrow, so scheduling it allocates nothing.
   */
  private readonly pump = (): void => {
    this.pumpScheduled = false;
    while (this.state !== 'stopped' && this.active < this.delivery.concurrency) {
      if (this.retryList.length === 0 && this.queued === 0) return;
      // The pacer calls schedulePump when its gate opens; a batch not tried meanwhile spends no attempt.
      if (!this.pacer.mayStart()) return;
      const retry = this.retryList.shift();
      if (retry !== undefined) {
        this.active++;
        void this.runTry(retry);
        continue;
      }
      const size = Math.min(this.batchSize, this.queued);
      if (size < this.batchSize) {
        // A partial batch waits (once, up to maxBatchWaitMs) for more records, unless someone waits for it.
        const hurry = this.batchDue || this.state !== 'open' || this.tracker.hasWaiters;
        if (!hurry && this.delivery.maxBatchWaitMs > 0) {
          this.batchTimer ??= setTimeout(this.onBatchTimer, this.delivery.maxBatchWaitMs);
          return;
        }
      }
      this.queued -= size;
      this.inFlight += size;
      this.active++;
      // The wait was for the records just taken; the next partial batch waits afresh.
      if (size < this.batchSize || this.queued === 0) this.clearBatchTimer();
      void this.runBatch(size);
    }
  };

  private clearBatchTimer(): void {
    this.batchDue = false;
    if (this.batchTimer !== undefined) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
  }

  private readonly onBatchTimer = (): void => {
    this.batchTimer = undefined;
    this.batchDue = true;
    this.schedulePump();
  };

  /** Leases a new batch in the slot the pump reserved, and tries it there. */
  private async runBatch(size: number): Promise<void> {
    let records: readonly UsageRecord[];
    try {
      records = await this.store.take(size);
    } catch (error) {
      this.inFlight -= size;
      this.queued += size;
      this.report.warn(
        'usage-store-failed',
        `The usage store failed to hand out records: ${describeError(error)}`,
      );
      // Back off before the next take, so a broken store is not hammered in a loop.
      await pause(Math.max(100, this.delivery.retry.initialDelayMs), this.stop);
      this.freeSlot();
      return;
    }
    // The store may hold fewer than counted (e.g. leases of a dead process it has not recovered yet).
    this.inFlight -= size - records.length;
    if (records.length > 0 && this.state !== 'stopped' && this.pacer.mayStart()) {
      await this.runTry({ records, attempts: 0 });
      return;
    }
    if (records.length > 0) {
      // close() stopped meanwhile: back to the store. Or an asynchronous take ended after the gate closed:
      // the batch waits for it like a retry.
      if (this.state === 'stopped') await this.putBack(records);
      else this.retryList.push({ records, attempts: 0 });
    }
    this.freeSlot();
  }

  /** One try of a batch in a reserved slot; the slot is free again once the batch is decided or waits. */
  private async runTry(batch: LeasedBatch): Promise<void> {
    try {
      const result = await tryBatch(
        batch,
        this.sink!,
        this.delivery.retry.maxAttempts,
        this.pacer,
        this.stop,
      );
      await this.settle(batch, result);
    } catch (error) {
      // Unreachable unless a sink breaks its never-throw contract; the caller must still never see it.
      this.report.warn('usage-delivery-failed', `Usage delivery failed internally: ${describeError(error)}`);
    } finally {
      this.freeSlot();
    }
  }

  private freeSlot(): void {
    this.active--;
    this.wakeIfIdle();
    this.schedulePump();
  }

  private async settle(batch: LeasedBatch, result: TryResult): Promise<void> {
    const { records } = batch;
    if (result.kind === 'stopped' || (result.kind === 'retry' && this.state === 'stopped')) {
      // Undecided, and close() has already put the waiting batches back: this one follows them.
      await this.putBack(records);
      return;
    }
    if (result.kind === 'retry') {
      this.retries++;
      this.retryList.push(batch);
      return;
    }
    const ids = records.map((r) => r.id);
    await this.storeCall('ack', () => this.store.ack(ids));
    this.inFlight -= records.length;
    if (result.kind === 'delivered') this.delivered += records.length;
    else this.report.fail(records, result.failure);
    for (const id of ids) this.tracker.settle(id);
  }

  /** Undecided records back to the store (a durable one delivers them after a restart). */
  private async putBack(records: readonly UsageRecord[]): Promise<void> {
    const ids = records.map((r) => r.id);
    await this.storeCall('release', () => this.store.release(ids));
    this.inFlight -= records.length;
    this.queued += records.length;
  }

  /** The store refused a record: it was accepted for flush() bookkeeping, so it is settled here. */
  private refused(record: UsageRecord, error: unknown): void {
    this.report.drop(record, 'store-error', `the usage store refused it: ${describeError(error)}`);
    this.tracker.settle(record.id);
    this.wakeIfIdle();
  }

  private async storeCall(what: string, call: () => unknown): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.report.warn(
        'usage-store-failed',
        `The usage store failed to ${what} records: ${describeError(error)}`,
      );
    }
  }

  private async adoptStoredRecords(): Promise<void> {
    try {
      const size = await this.store.size();
      if (size > 0 && this.state !== 'stopped') {
        this.queued += size;
        this.schedulePump();
      }
    } catch (error) {
      this.report.warn(
        'usage-store-failed',
        `The usage store failed to tell its size: ${describeError(error)}`,
      );
    }
  }
}
