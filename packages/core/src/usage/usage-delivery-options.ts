import * as z from 'zod/mini';
import { RouterError } from '../errors/router-error.js';
import { lazy } from '../provider-utils/lazy.js';
import { formatZodError } from '../router/format-zod-error.js';
import { MemoryUsageStore } from './memory-usage-store.js';
import type { UsageStore } from './usage-store.js';

/** How usage records are queued, batched, sent and retried. Every field is optional. */
export interface UsageDeliveryOptions {
  /**
   * Records per HTTP POST (or per `batchCallback` call). Default 1: the body is one snake_case object, as
   * the seed sent it. Above 1 the body is a JSON array of those objects. A per-record `callback` always
   * gets one record per call.
   */
  batchSize?: number;
  /** How long a partly filled batch waits for more records before it is sent. Default 10 ms. */
  maxBatchWaitMs?: number;
  /** Deliveries (POSTs or callback calls) in flight at once. Default 4. */
  concurrency?: number;
  /** Records held at once, waiting or being sent; past it new records are dropped and reported. Default 10,000. */
  maxQueueSize?: number;
  /**
   * Tries per batch, including the first, and the backoff of the sink's gate. A failed batch waits for
   * its retry without holding a delivery slot and goes before new batches. While the sink fails only now
   * and then, it is retried at once; after 3 failed tries in a row (of any batches), no try starts before
   * a gate opens: after a capped exponential backoff with full jitter (0–`initialDelayMs`, then 0–2×,
   * 0–4×… up to 0–`maxDelayMs`), or after a Retry-After (up to `maxDelayMs`); a delivery reopens it.
   * Records waiting for the gate spend no tries.
   * Default `{ maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 30000 }`: at a sink that is down, a
   * batch gets at most 3 quick tries and then one per gate opening, so its tries span at least 17 gates,
   * about 3 min on average (at most about 6). It is given up within 60 s with probability ≈ 5e-6, so a
   * sink that is down for a minute makes no record fail.
   */
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number };
  /** Where records wait. Default: a new `MemoryUsageStore`. */
  store?: UsageStore;
}

/** The options with every default filled in. */
export interface ResolvedUsageDelivery {
  batchSize: number;
  maxBatchWaitMs: number;
  concurrency: number;
  maxQueueSize: number;
  retry: { maxAttempts: number; initialDelayMs: number; maxDelayMs: number };
  store: UsageStore;
  /** Whether `store` was given (a durable store may hold records from an earlier run). */
  customStore: boolean;
}

export const USAGE_DELIVERY_DEFAULTS = {
  batchSize: 1,
  maxBatchWaitMs: 10,
  concurrency: 4,
  maxQueueSize: 10_000,
  retry: { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 30_000 },
} as const;

const int = (min: number, what: string) =>
  z.int({ error: `must be an integer (${what})` }).check(z.gte(min, { error: `must be ≥ ${min} (${what})` }));
const ms = (what: string) =>
  z
    .number({ error: `must be a number of milliseconds (${what})` })
    .check(z.gte(0, { error: `must be ≥ 0 (${what})` }));
const STORE_METHODS = ['add', 'take', 'ack', 'release', 'size'] as const;

// zod/mini, as the router's options: its functions tree-shake, which keeps edge bundles small.
export const usageDeliveryOptionsSchema = lazy(() =>
  z.strictObject({
    batchSize: z.optional(
      int(1, 'records per POST, e.g. 1 or 50').check(z.lte(1000, { error: 'must be ≤ 1000' })),
    ),
    maxBatchWaitMs: z.optional(ms('wait to fill a batch, e.g. 10')),
    concurrency: z.optional(int(1, 'concurrent deliveries, e.g. 4')),
    maxQueueSize: z.optional(int(1, 'records held before new ones are dropped, e.g. 10000')),
    retry: z.optional(
      z
        .strictObject({
          maxAttempts: z.optional(int(1, 'tries per batch including the first, e.g. 20')),
          initialDelayMs: z.optional(ms('first backoff ceiling, e.g. 500')),
          maxDelayMs: z.optional(ms('backoff cap, e.g. 30000')),
        })
        .check(
          z.refine((r) => (r.initialDelayMs ?? 0) <= (r.maxDelayMs ?? Number.POSITIVE_INFINITY), {
            error: 'initialDelayMs must be ≤ maxDelayMs (the cap)',
            path: ['initialDelayMs'],
          }),
        ),
    ),
    store: z.optional(
      z.custom<UsageStore>(
        (v) =>
          v != null &&
          typeof v === 'object' &&
          STORE_METHODS.every((m) => typeof (v as unknown as Record<string, unknown>)[m] === 'function'),
        { error: `must be a usage store with ${STORE_METHODS.map((m) => `${m}()`).join(', ')} methods` },
      ),
    ),
  }),
);

/** Validates delivery options and fills in the defaults; throws one `RouterError` naming each bad field. */
export function resolveUsageDelivery(options: UsageDeliveryOptions = {}): ResolvedUsageDelivery {
  // No options (every router without usage delivery settings): the defaults, without building the schema.
  let o: UsageDeliveryOptions = {};
  if (Object.values(options).some((value) => value !== undefined)) {
    const parsed = usageDeliveryOptionsSchema().safeParse(options);
    if (!parsed.success) {
      throw new RouterError({
        code: 'invalid-options',
        message: formatZodError('Invalid usage delivery options', parsed.error),
      });
    }
    o = parsed.data;
  }
  const d = USAGE_DELIVERY_DEFAULTS.retry;
  const initialDelayMs = o.retry?.initialDelayMs ?? d.initialDelayMs;
  const retry = {
    maxAttempts: o.retry?.maxAttempts ?? d.maxAttempts,
    initialDelayMs,
    // Only a given cap can be below a given first delay (the schema refuses that); a default cap grows to it.
    maxDelayMs: o.retry?.maxDelayMs ?? Math.max(d.maxDelayMs, initialDelayMs),
  };
  return {
    batchSize: o.batchSize ?? USAGE_DELIVERY_DEFAULTS.batchSize,
    maxBatchWaitMs: o.maxBatchWaitMs ?? USAGE_DELIVERY_DEFAULTS.maxBatchWaitMs,
    concurrency: o.concurrency ?? USAGE_DELIVERY_DEFAULTS.concurrency,
    maxQueueSize: o.maxQueueSize ?? USAGE_DELIVERY_DEFAULTS.maxQueueSize,
    retry,
    store: o.store ?? new MemoryUsageStore(),
    customStore: o.store !== undefined,
  };
}
