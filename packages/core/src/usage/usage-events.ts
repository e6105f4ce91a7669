import type { UsageRecord } from './usage-record.js';

/**
 * What the dispatcher tells the application through `onEvent`, one event per record. Nothing is lost
 * silently: every record is delivered, or reported here as dropped (never queued) or failed (given up).
 */
export type UsageDeliveryEvent =
  | {
      type: 'usage-dropped';
      /** `queue-full`: `maxQueueSize` records were held; `closed`: after `close()`; `store-error`: `store.add` failed. */
      reason: 'queue-full' | 'closed' | 'store-error';
      record: UsageRecord;
      message: string;
    }
  | {
      type: 'usage-failed';
      /** `rejected`: the sink refused for good (4xx other than 408/429, or `retryable: false`); else the budget ran out. */
      reason: 'rejected' | 'retries-exhausted';
      record: UsageRecord;
      /** Tries made (a batch is tried as a whole, so its records share this). */
      attempts: number;
      /** HTTP status of the last try, when there was one. */
      status?: number;
      message: string;
    };

export type UsageDeliveryEventHandler = (event: UsageDeliveryEvent) => void;

/** Counts of records (`retries` counts retried tries, each of a whole batch). */
export interface UsageStats {
  /** Waiting in the store (including records still being added to an asynchronous store). */
  queued: number;
  /** Taken for a delivery that has not ended (being sent, or waiting for a retry). */
  inFlight: number;
  delivered: number;
  retries: number;
  /** Never queued: queue full, closed, or refused by the store. */
  dropped: number;
  /** Given up: refused for good by the sink, or out of retries. */
  failed: number;
}

/** What `close()` resolves with. */
export interface UsageCloseReport {
  /** True when every record was delivered or given up before the timeout. */
  drained: boolean;
  /** Records still held when `close()` ended (in the store: a durable one delivers them on the next start). */
  pending: number;
  delivered: number;
  failed: number;
  dropped: number;
}
