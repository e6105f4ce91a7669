import type { UsageRecord } from './usage-record.js';

/** A value or a promise of it: the in-memory store answers synchronously, a Redis or file store does not. */
export type MaybePromise<T> = T | PromiseLike<T>;

/** Whether a store or callback answered with a promise (anything with a `then` method). */
export function isThenable<T>(value: MaybePromise<T> | unknown): value is PromiseLike<T> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<T>).then === 'function'
  );
}

/**
 * Where usage records wait until a sink has them. A record is `add`ed, `take`n (leased) for a delivery,
 * and then either `ack`ed (delivered, or given up after the retry budget) or `release`d (the delivery was
 * stopped by `close()` before it ended) so it is taken again later, possibly by the next process.
 *
 * A durable store (Redis, files; written by the gateway) keeps a record from `add` until `ack`, leased or
 * not, so records survive a crash; leases left by a process that died are its to recover (e.g. release
 * leases older than a few minutes at start-up). Records the store holds when a dispatcher is built are
 * delivered by it. One dispatcher owns one store: the dispatcher keeps its own counts (for `stats()` and
 * `maxQueueSize`) and trusts the store to hand out each record to one delivery at a time.
 *
 * Methods may return promises; a rejected `add` reports the record as dropped (reason `store-error`), and
 * a failing `take`, `ack` or `release` is reported as a warning (`usage-store-failed`).
 */
export interface UsageStore {
  /** Keeps the record until it is acknowledged. */
  add(record: UsageRecord): MaybePromise<void>;
  /** Leases up to `max` records that no delivery holds, oldest first; fewer (or none) when fewer wait. */
  take(max: number): MaybePromise<readonly UsageRecord[]>;
  /** Forgets leased records for good: delivered, or given up (the dispatcher has reported them). */
  ack(ids: readonly string[]): MaybePromise<void>;
  /** Returns leased records to the waiting ones, to be taken again. */
  release(ids: readonly string[]): MaybePromise<void>;
  /** Records held, waiting or leased. */
  size(): MaybePromise<number>;
}
