// How the collector counts: what is an error, how the newest (partial) bucket reads, odd clocks, providers past
// the cap, and latencies outside the histogram's bins.
import { type BaseRouter, Router, type RouterEvent } from '@llmo/core';
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

  it('reads the newest bucket’s rates over the time it has run, not the whole bucket', async () => {
    const router = new Router({
      strategy: 'first-available',
      retry: { maxRetries: 0, maxPasses: 1 },
      circuitBreaker: false,
      onWarning: false,
    });
    routers.push(router);
    router.addProvider(createMockProvider({ name: 'broken', model: 'mock-server-error', latencyMs: 0 }));
    router.addProvider(createMockProvider({ name: 'steady', latencyMs: 0, chunkDelayMs: 0 }));
    const start = 1_000_000_000_000; // a bucket boundary (10 s buckets)
    let now = start - 10_000;
    const collector = new DashboardCollector({ router, bucketSeconds: 10, now: () => now });
    collectors.push(collector);
    // A steady 2 requests per second: 20 in the last full bucket, 10 in the first 5 s of the current one.
    for (let i = 0; i < 20; i++) await router.route(`before ${i}`);
    now = start + 5_000;
    for (let i = 0; i < 10; i++) await router.route(`now ${i}`);

    const { series } = collector.snapshot();
    expect(series.providers.steady!.requestRate.slice(-2)).toEqual([2, 2]);
    expect(series.providers.broken!.errorRate.slice(-2)).toEqual([2, 2]);
    expect(series.errorsByKind.server!.slice(-2)).toEqual([2, 2]);
    // A bucket a few ms old is read over at least a second: one request is not a spike of hundreds per second.
    now = start + 10_005;
    await router.route('the first of a new bucket');
    expect(collector.snapshot().series.providers.steady!.requestRate.at(-1)).toBe(1);
  });

  it('marks providers past maxProviders as not charted and counts their events in the snapshot', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    routers.push(router);
    for (const name of ['a', 'b', 'c']) {
      router.addProvider(createMockProvider({ name, latencyMs: 0, chunkDelayMs: 0 }));
    }
    const collector = new DashboardCollector({ router, maxProviders: 2 });
    collectors.push(collector);
    for (let i = 0; i < 6; i++) await router.route(`hello ${i}`); // two each, round robin

    const snapshot = collector.snapshot();
    const charted = Object.fromEntries(snapshot.providers.map((p) => [p.name, p.charted]));
    expect(charted).toEqual({ a: true, b: true, c: false });
    expect(snapshot.providers.find((p) => p.name === 'c')!.window.requests).toBe(0);
    expect(snapshot.totals.droppedProviderEvents).toBe(2);
  });

  it('reads latency quantiles right from sub-millisecond to hour-long streams', () => {
    const listeners = new Set<(event: RouterEvent) => void>();
    const router = {
      on: (_type: string, listener: (event: RouterEvent) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      getMetrics: () => ({}),
      getProviders: () => [{ name: 'a' }],
      getSessionCost: () => ({}),
    } as unknown as BaseRouter;
    const quantiles = (latencyMs: number) => {
      const collector = new DashboardCollector({ router });
      collectors.push(collector);
      for (let i = 0; i < 20; i++) {
        for (const listener of listeners) {
          listener({
            type: 'attempt-end',
            requestId: `r${i}`,
            provider: 'a',
            model: 'm',
            retry: 0,
            latencyMs,
            ttftMs: latencyMs,
            usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2 },
            cost: { amount: 0, currency: 'USD' },
          } as RouterEvent);
        }
      }
      const { window } = collector.snapshot().providers[0]!;
      collector.close();
      return [window.latencyP50!, window.latencyP95!, window.ttftP50!];
    };
    // Within the bins: ±7.5 %, whatever the scale.
    for (const latencyMs of [0.3, 4, 250, 20 * 60_000, 80 * 60_000]) {
      for (const value of quantiles(latencyMs)) {
        expect(Math.abs(value - latencyMs) / latencyMs, `${latencyMs} ms read as ${value}`).toBeLessThan(
          0.075,
        );
      }
    }
    // Past the last bin (~85 minutes): the largest value seen, not the bin's middle.
    expect(quantiles(3 * 3_600_000)).toEqual([10_800_000, 10_800_000, 10_800_000]);
  });
});
