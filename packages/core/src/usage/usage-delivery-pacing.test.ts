import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { seeded, sinkClosedAfterEach, type startSink, usageRecord } from './usage.test-helper.js';
import { UsageDispatcher } from './usage-dispatcher.js';
import type { UsageDeliveryEvent } from './usage-events.js';

// The chaos benchmark lost 73 % of its records to `queue-full`: each batch kept its delivery slot while it
// slept its backoff, so a sink failing 20 % of tries at random left the slots asleep most of the time and
// the queue overflowed. Now a failed batch frees its slot and the sink as a whole is paced instead.

const sink = sinkClosedAfterEach();

/** Every record acknowledged by the sink, every copy of each one the same payload under the same id. */
function expectAllDelivered(s: Awaited<ReturnType<typeof startSink>>, ids: readonly string[]) {
  for (const id of ids) expect(s.acknowledged.has(id)).toBe(true);
  for (const [id, copies] of s.seen) {
    for (const copy of copies) expect(copy).toEqual({ ...(copies[0] as object), id });
  }
  expect(s.seen.size).toBe(ids.length);
}

describe('usage delivery paces the sink, not each batch', () => {
  // How fast the sink keeps up depends on the machine, so this asserts only what must hold anywhere: every
  // record arrives, none is dropped or given up. That a failed batch frees its slot at once is asserted
  // without timing in usage-dispatcher.test.ts ("retries a failed batch at once, before new ones").
  it('a sink failing 20 % at random gets all of 1,000 records: none dropped, none given up', async () => {
    const chance = seeded(7);
    const s = await sink(() => (chance() < 0.2 ? { status: 503 } : { status: 200 }));
    const events: UsageDeliveryEvent[] = [];
    const d = new UsageDispatcher({
      url: s.url,
      batchSize: 5,
      concurrency: 4,
      retry: { initialDelayMs: 10, maxDelayMs: 100 },
      random: seeded(1),
      onEvent: (e) => events.push(e),
    });
    const records = Array.from({ length: 1_000 }, (_, i) => usageRecord(i));
    for (let sent = 0; sent < records.length; sent += 10) {
      for (let i = sent; i < sent + 10; i++) d.deliver(records[i]!);
      await sleep(1);
    }
    await d.flush();

    expect(events).toEqual([]);
    expect(d.stats()).toMatchObject({ delivered: 1_000, dropped: 0, failed: 0, queued: 0, inFlight: 0 });
    expect(d.stats().retries).toBeGreaterThan(10);
    expectAllDelivered(
      s,
      records.map((r) => r.id),
    );
  }, 60_000);

  it.each(['503', 'refused'] as const)(
    'a sink that is down for 1 s (%s) gets a few tries per gate opening, then everything',
    async (mode) => {
      let down = false;
      const s = await sink(() => (down ? { status: 503 } : { status: 200 }));
      let tries = 0;
      let failedTries = 0;
      const d = new UsageDispatcher({
        url: s.url,
        concurrency: 4,
        retry: { initialDelayMs: 50, maxDelayMs: 400 },
        random: seeded(3),
        // Counts tries the sink never sees, too (connection refused).
        // Classified by outcome, not by the flag at call time: a try may straddle the sink coming back.
        fetch: async (input, init) => {
          tries++;
          try {
            const response = await globalThis.fetch(input, init);
            if (!response.ok) failedTries++;
            return response;
          } catch (error) {
            failedTries++;
            throw error;
          }
        },
      });
      const records = Array.from({ length: 300 }, (_, i) => usageRecord(i));
      down = true;
      if (mode === 'refused') await s.down();
      for (const r of records) d.deliver(r);
      await sleep(1_000);
      down = false;
      if (mode === 'refused') await s.up();
      await d.flush();

      // Without the gate, four free slots would retry back to back: thousands of tries in a second.
      expect(failedTries).toBeGreaterThan(4);
      expect(failedTries).toBeLessThan(60);
      expect(d.stats()).toMatchObject({ delivered: 300, failed: 0, dropped: 0, queued: 0, inFlight: 0 });
      expect(tries).toBe(failedTries + 300);
      expectAllDelivered(
        s,
        records.map((r) => r.id),
      );
    },
    60_000,
  );

  it('a Retry-After closes the gate even after one failure: only tries already in flight reach the sink in its window', async () => {
    const arrivals: number[] = [];
    let windowStart = 0;
    const s = await sink((_request, index) => {
      arrivals.push(performance.now());
      if (index !== 0) return { status: 200, delayMs: 5 };
      windowStart = performance.now();
      return { status: 503, headers: { 'retry-after': '0.3' } };
    });
    const d = new UsageDispatcher({
      url: s.url,
      concurrency: 4,
      retry: { initialDelayMs: 1, maxDelayMs: 1_000 },
    });
    const records = Array.from({ length: 40 }, (_, i) => usageRecord(i));
    for (const r of records) d.deliver(r);
    await d.flush();

    // 300 ms from the 503 leaving the sink (the dispatcher saw it later, so its own window ends later):
    // only the tries already in flight arrive, at most `concurrency`; without the gate, all the others would.
    // A loaded machine may let a request or two more in at the edge of the window; without the gate it
    // would be dozens (about 36 of the 40).
    const inWindow = arrivals.filter((t) => t > windowStart && t < windowStart + 300).length;
    expect(inWindow).toBeLessThanOrEqual(10);
    expect(d.stats()).toMatchObject({ delivered: 40, retries: 1, failed: 0 });
    expectAllDelivered(
      s,
      records.map((r) => r.id),
    );
  }, 60_000);
});
