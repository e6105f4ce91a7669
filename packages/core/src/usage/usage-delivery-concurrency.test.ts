import { describe, expect, it } from 'vitest';
import { sinkClosedAfterEach, usageRecord } from './usage.test-helper.js';
import { UsageDispatcher } from './usage-dispatcher.js';

// The old fire-and-forget delivery sent one concurrent POST per record (5,000 at once, +69 MB heap) to a
// slow sink. 300 real requests show the bound as well as 2,000 did, and stay quick on a loaded machine.

const sink = sinkClosedAfterEach();

describe('usage delivery to a slow HTTP sink', () => {
  it('never has more than `concurrency` requests at a slow sink (300 records)', async () => {
    const s = await sink(() => ({ status: 200, delayMs: 2 }));
    const d = new UsageDispatcher({ url: s.url, concurrency: 6, timeoutMs: 60_000 });
    for (let i = 0; i < 300; i++) d.deliver(usageRecord(i));
    expect(d.stats().queued).toBe(300);
    await d.flush();
    expect(s.state.maxConcurrent).toBeLessThanOrEqual(6);
    expect(s.state.maxConcurrent).toBeGreaterThan(1);
    expect(d.stats()).toMatchObject({ delivered: 300, failed: 0 });
  }, 120_000);
});
