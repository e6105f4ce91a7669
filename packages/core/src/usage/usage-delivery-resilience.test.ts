import { describe, expect, it } from 'vitest';
import { fastRetry, seeded, sinkClosedAfterEach, usageRecord } from './usage.test-helper.js';
import { UsageDispatcher } from './usage-dispatcher.js';
import type { UsageDeliveryEvent } from './usage-events.js';

// The measured failure of the old fire-and-forget delivery (40 % of records lost with a sink failing 20 %
// of the time and down for a while), replayed against a real HTTP server.

const sink = sinkClosedAfterEach();

describe('usage delivery to an unreliable or slow HTTP sink', () => {
  it('a sink failing 20 % of the time and down for a while (503, then refused): every record arrives, duplicates share their id', async () => {
    const chance = seeded(42);
    let outage: 'none' | '503' | 'refused' = 'none';
    let outageStarted = false;
    const s = await sink((_request, index) => {
      if (index === 100 && !outageStarted) {
        outageStarted = true;
        outage = '503';
        setTimeout(async () => {
          outage = 'refused';
          await s.down();
          setTimeout(async () => {
            outage = 'none';
            await s.up();
          }, 150);
        }, 150);
      }
      if (outage === '503') return { status: 503 };
      const roll = chance();
      if (roll < 0.1) return { status: 500 };
      if (roll < 0.15) return { status: 429, headers: { 'retry-after': '0' } };
      if (roll < 0.2) return { destroy: true };
      return { status: 200, body: '{"ok":true}' };
    });
    const events: UsageDeliveryEvent[] = [];
    const d = new UsageDispatcher({
      url: s.url,
      timeoutMs: 2_000,
      concurrency: 8,
      retry: fastRetry,
      onEvent: (e) => events.push(e),
    });
    const records = Array.from({ length: 400 }, (_, i) => usageRecord(i));
    for (const r of records) d.deliver(r);
    await d.flush();

    expect(outage).toBe('none');
    expect(events).toEqual([]);
    expect(d.stats()).toMatchObject({ delivered: 400, failed: 0, dropped: 0, queued: 0, inFlight: 0 });
    expect(d.stats().retries).toBeGreaterThan(0);
    for (const r of records) expect(s.acknowledged.has(r.id)).toBe(true);
    // Every copy of a record the sink saw is the same payload, under the same id.
    let duplicates = 0;
    for (const [id, copies] of s.seen) {
      for (const copy of copies) expect(copy).toEqual({ ...(copies[0] as object), id });
      duplicates += copies.length - 1;
    }
    expect(duplicates).toBeGreaterThan(0);
    expect(s.seen.size).toBe(400);
  }, 60_000);
});
