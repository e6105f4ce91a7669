// How the collector counts: what is an error, how the newest (partial) bucket reads, odd clocks, providers past
// the cap, and latencies outside the histogram's bins.
import { Router, type RouterEvent } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardCollector } from './index.js';

const collectors: DashboardCollector[] = [];
const routers: Router[] = [];
afterEach(async () => {
  for (const collector of collectors.splice(0)) collector.close();
  for (const router of routers.splice(0)) await router.close();
});

/** Polls `read` until it returns true, at most `timeoutMs` (never a fixed sleep). */
async function waitFor(read: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!read()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('DashboardCollector: counting', () => {
  it('does not count streams the caller abandoned (cancelled) as provider errors', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    routers.push(router);
    router.addProvider(createMockProvider({ name: 'a', latencyMs: 1, chunkDelayMs: 5 }));
    const collector = new DashboardCollector({ router });
    collectors.push(collector);
    const cancelled: RouterEvent[] = [];
    router.on('attempt-error', (event) => cancelled.push(event));
    for (let i = 0; i < 3; i++) {
      for await (const _chunk of router.routeStream('a story')) break; // the caller walks away
    }
    await waitFor(() => cancelled.length === 3);
    expect(cancelled.every((e) => e.type === 'attempt-error' && e.callerFault)).toBe(true);

    const snapshot = collector.snapshot();
    const provider = snapshot.providers.find((p) => p.name === 'a')!;
    expect(provider.window).toMatchObject({ requests: 3, errors: 0, callerErrors: 3, errorsByKind: {} });
    expect(snapshot.series.providers.a!.errorRate.every((rate) => rate === 0)).toBe(true);
    expect(snapshot.series.errorsByKind).toEqual({});
    // The router agrees: a caller's cancellation is not the provider's failure.
    expect(provider.recentErrorRate).toBe(0);
  });

  it('works with a clock near the epoch (a window that starts before it)', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    routers.push(router);
    router.addProvider(createMockProvider({ name: 'a', latencyMs: 0, chunkDelayMs: 0 }));
    let now = 5_000; // 5 s after the epoch: the hour of history starts an hour before it
    const collector = new DashboardCollector({ router, now: () => now });
    collectors.push(collector);
    await router.route('hello');
    const snapshot = collector.snapshot();
    expect(snapshot.series.times).toHaveLength(360);
    expect(snapshot.series.times[0]).toBeLessThan(0);
    expect(snapshot.providers[0]!.window).toMatchObject({ requests: 1, errors: 0 });
    expect(snapshot.series.providers.a!.requestRate.filter((rate) => rate > 0)).toHaveLength(1);
    now = 15_000; // the next bucket: the first one is still in the window
    await router.route('again');
    expect(collector.snapshot().providers[0]!.window.requests).toBe(2);
  });
});
