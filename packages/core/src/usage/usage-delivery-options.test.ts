import { describe, expect, it } from 'vitest';
import { MemoryUsageStore } from './memory-usage-store.js';
import { backoffDelayMs } from './sink-pacer.js';
import { resolveUsageDelivery, USAGE_DELIVERY_DEFAULTS } from './usage-delivery-options.js';
import { createUsageRecordId } from './usage-record.js';

describe('usage delivery options', () => {
  it('fills in the defaults', () => {
    const resolved = resolveUsageDelivery();
    expect(resolved).toMatchObject({ ...USAGE_DELIVERY_DEFAULTS, customStore: false });
    expect(resolved.store).toBeInstanceOf(MemoryUsageStore);
    const store = new MemoryUsageStore();
    expect(resolveUsageDelivery({ store, retry: { initialDelayMs: 60_000 } })).toMatchObject({
      store,
      customStore: true,
      retry: { maxAttempts: 20, initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
  });

  it.each([
    [{ concurrency: 0 }, /concurrency: must be ≥ 1 \(concurrent deliveries, e\.g\. 4\)/],
    [{ batchSize: 1.5 }, /batchSize: must be an integer \(records per POST/],
    [{ maxQueueSize: 0 }, /maxQueueSize: must be ≥ 1/],
    [{ maxBatchWaitMs: -1 }, /maxBatchWaitMs: must be ≥ 0/],
    [{ retry: { maxAttempts: 0 } }, /retry\.maxAttempts: must be ≥ 1 \(tries per batch/],
    [
      { retry: { initialDelayMs: 100, maxDelayMs: 10 } },
      /retry\.initialDelayMs: initialDelayMs must be ≤ maxDelayMs/,
    ],
    [{ store: {} }, /store: must be a usage store with add\(\), take\(\), ack\(\), release\(\), size\(\)/],
    [{ batchsize: 10 }, /Unrecognized key: "batchsize"/],
  ])('rejects %j naming the field and the fix', (options, message) => {
    expect(() => resolveUsageDelivery(options as never)).toThrow(message);
  });
});

describe('backoff delays', () => {
  const policy = { maxAttempts: 20, initialDelayMs: 500, maxDelayMs: 30_000 };
  it('grow exponentially to the cap, with full jitter below the ceiling', () => {
    expect([1, 2, 3, 7, 8, 12].map((level) => backoffDelayMs(level, policy, () => 1))).toEqual([
      500, 1000, 2000, 30_000, 30_000, 30_000,
    ]);
    expect(backoffDelayMs(4, policy, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(4, policy, () => 0)).toBe(0);
  });
});

describe('createUsageRecordId', () => {
  it('makes distinct UUIDs', () => {
    const ids = new Set(Array.from({ length: 1000 }, createUsageRecordId));
    expect(ids.size).toBe(1000);
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('builds a v4 UUID from getRandomValues where randomUUID is missing', () => {
    const original = globalThis.crypto;
    Object.defineProperty(globalThis, 'crypto', {
      value: { getRandomValues: (b: Uint8Array) => original.getRandomValues(b) },
      configurable: true,
    });
    try {
      expect(createUsageRecordId()).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    } finally {
      Object.defineProperty(globalThis, 'crypto', { value: original, configurable: true });
    }
  });
});
