import { Router, type RouterEvent } from '@llmo/core';
import { createMockProvider } from '@llmo/provider-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DashboardCollector } from './index.js';
import { PROMPT_MARKER, startHarness, TEST_API_KEY } from './load-harness.test-helper.js';

const quietRouter = (options: ConstructorParameters<typeof Router>[0] = {}) =>
  new Router({ strategy: 'first-available', onWarning: false, ...options });

/** A stand-in router whose events the test fires by hand (to drive bounds no real router would reach). */
function fakeRouter() {
  const listeners = new Set<(event: RouterEvent) => void>();
  return {
    listeners,
    emit: (event: RouterEvent) => {
      for (const listener of listeners) listener(event);
    },
    on: (_type: string, listener: (event: RouterEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getMetrics: () => ({}),
    getProviders: () => [],
    getSessionCost: () => ({}),
  };
}

const collectors: DashboardCollector[] = [];
const track = (collector: DashboardCollector) => {
  collectors.push(collector);
  return collector;
};
afterEach(() => {
  for (const collector of collectors.splice(0)) collector.close();
  vi.useRealTimers();
});

describe('DashboardCollector', () => {
  it('counts attempts per provider, errors by kind, and keeps each request’s attempt chain', async () => {
    const router = quietRouter({
      retry: { maxRetries: 1, initialDelayMs: 1, maxPasses: 1 },
      circuitBreaker: false,
    });
    router.addProvider(createMockProvider({ name: 'broken', model: 'mock-server-error', latencyMs: 1 }));
    router.addProvider(
      createMockProvider({
        name: 'steady',
        latencyMs: 5,
        chunkDelayMs: 1,
        pricing: { inputPer1K: 1, outputPer1K: 2, currency: 'RUB' },
      }),
    );
    const collector = track(new DashboardCollector({ router }));
    await router.route('one');
    await router.routeStream('two').result;

    const snapshot = collector.snapshot();
    const broken = snapshot.providers.find((p) => p.name === 'broken')!;
    const steady = snapshot.providers.find((p) => p.name === 'steady')!;
    // Two requests, each tried twice on `broken` (one retry) before falling back to `steady`.
    expect(broken.window).toMatchObject({ requests: 4, errors: 4, errorsByKind: { server: 4 } });
    expect(steady.window).toMatchObject({ requests: 2, errors: 0, errorsByKind: {} });
    expect(steady.window.latencyP50).toBeGreaterThan(0);
    expect(steady.window.ttftP50).toBeGreaterThan(0); // the stream's first chunk
    expect(steady.window.promptTokens).toBeGreaterThan(0);
    expect(steady.window.cost.RUB).toBeGreaterThan(0);
    expect(snapshot.series.errorsByKind.server?.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(Object.keys(snapshot.series.cost)).toEqual(['RUB']);
    expect(snapshot.totals).toMatchObject({ routed: 2, succeeded: 2, failed: 0, inFlight: 0 });

    const [latest, first] = snapshot.recentRequests;
    expect(first).toMatchObject({
      success: true,
      provider: 'steady',
      streaming: false,
      fallbacks: 1,
      retries: 1,
    });
    expect(latest?.streaming).toBe(true);
    expect(first?.attempts.map((a) => [a.provider, a.outcome, a.errorKind, a.willRetry])).toEqual([
      ['broken', 'error', 'server', true],
      ['broken', 'error', 'server', false],
      ['steady', 'success', undefined, undefined],
    ]);
  });

  it('shows a circuit opening, with skipped attempts in the chains', async () => {
    const router = quietRouter({
      retry: { maxRetries: 0, maxPasses: 1 },
      circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 },
    });
    router.addProvider(createMockProvider({ name: 'broken', model: 'mock-server-error', latencyMs: 1 }));
    router.addProvider(createMockProvider({ name: 'steady', latencyMs: 1 }));
    const collector = track(new DashboardCollector({ router }));
    for (let i = 0; i < 4; i++) await router.route(`q${i}`);

    const snapshot = collector.snapshot();
    const broken = snapshot.providers.find((p) => p.name === 'broken')!;
    expect(broken.circuit).toBe('open');
    expect(broken.circuitChanges.map((c) => [c.from, c.to])).toEqual([['closed', 'open']]);
    expect(snapshot.recentRequests[0]?.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ['broken', 'skipped'],
      ['steady', 'success'],
    ]);
  });

  it('never records prompt text or the API key, even when the upstream echoes the key', async () => {
    const harness = await startHarness();
    try {
      harness.servers.alpha!.reply({
        type: 'error',
        status: 401,
        message: `Incorrect API key provided: ${TEST_API_KEY}`,
      });
      const collector = track(new DashboardCollector({ router: harness.router }));
      await harness.startLoad({ concurrency: 2, maxRequests: 10 }).stop();
      // stop() ends the loops after at most one more request each; run a few to the end first.
      for (let i = 0; i < 6; i++) await harness.router.route(`${PROMPT_MARKER} direct ${i}`).catch(() => {});
      const json = JSON.stringify(collector.snapshot());
      expect(json).toContain('"auth"'); // the echoed-key failure was recorded, by kind
      expect(json).not.toContain(TEST_API_KEY);
      expect(json).not.toContain(TEST_API_KEY.slice(3, 20));
      expect(json).not.toContain(PROMPT_MARKER);
    } finally {
      await harness.close();
    }
  });

  it('stays at its caps under many requests: recent requests, requests in flight, bucket slots', async () => {
    const router = quietRouter({ strategy: 'round-robin' });
    router.addProvider(createMockProvider({ name: 'a', latencyMs: 0, chunkDelayMs: 0 }));
    router.addProvider(createMockProvider({ name: 'b', latencyMs: 0, chunkDelayMs: 0 }));
    const collector = track(
      new DashboardCollector({ router, recentRequests: 10, historyMinutes: 5, bucketSeconds: 10 }),
    );
    for (let batch = 0; batch < 20; batch++) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => router.route(`q${batch}-${i}`)));
    }
    const snapshot = collector.snapshot();
    expect(snapshot.totals.routed).toBe(2000);
    expect(snapshot.recentRequests).toHaveLength(10);
    expect(collector.sizes).toEqual({
      providers: 2,
      bucketSlots: 2 * 30,
      bucketsPerProvider: 30,
      requestsInFlight: 0,
      requestsKept: 10,
    });
    expect(snapshot.series.times).toHaveLength(30);
    expect(snapshot.providers.reduce((sum, p) => sum + p.window.requests, 0)).toBe(2000);
  });

  it('bounds requests in flight whose end never comes, and attempts per request', () => {
    const router = fakeRouter();
    const collector = track(
      new DashboardCollector({ router: router as never, maxInFlight: 100, recentRequests: 5 }),
    );
    for (let i = 0; i < 5000; i++) {
      router.emit({ type: 'route-start', requestId: `r${i}`, streaming: false, candidates: ['p'] });
    }
    expect(collector.sizes.requestsInFlight).toBe(100);
    for (let retry = 0; retry < 100; retry++) {
      router.emit({
        type: 'attempt-start',
        requestId: 'r4999',
        streaming: false,
        provider: 'p',
        model: 'm',
        retry,
      });
    }
    const request = collector.snapshot().recentRequests.find((r) => r.requestId === 'r4999')!;
    expect(request.attempts).toHaveLength(32);
    expect(request.attemptsDropped).toBe(68);
    expect(collector.snapshot().recentRequests).toHaveLength(5);
  });

  it('counts usage records the router could not queue or deliver', () => {
    const router = fakeRouter();
    const collector = track(new DashboardCollector({ router: router as never }));
    const base = { recordId: 'u1', requestId: 'r1', provider: 'p', message: 'sink down' };
    router.emit({ type: 'usage-dropped', ...base, reason: 'queue-full' });
    router.emit({ type: 'usage-dropped', ...base, reason: 'closed' });
    router.emit({ type: 'usage-failed', ...base, reason: 'retries-exhausted', attempts: 5, status: 503 });
    expect(collector.snapshot().totals).toMatchObject({ usageDropped: 2, usageFailed: 1 });
  });

  it('ages data out of the window: fixed slots over hours of traffic, totals only for the last hour', () => {
    const router = fakeRouter();
    let now = Date.UTC(2026, 0, 1);
    const collector = track(new DashboardCollector({ router: router as never, now: () => now }));
    const success = (provider: string) =>
      router.emit({
        type: 'attempt-end',
        requestId: 'x',
        streaming: true,
        provider,
        model: 'm',
        retry: 0,
        latencyMs: 100,
        ttftMs: 40,
        usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7, estimated: false },
        cost: { amount: 0.5, currency: 'USD' },
      });
    // Three hours, one success per 10 s bucket, then one failure.
    for (let i = 0; i < 3 * 360; i++) {
      success('p');
      now += 10_000;
    }
    router.emit({
      type: 'attempt-error',
      requestId: 'y',
      streaming: false,
      provider: 'p',
      model: 'm',
      retry: 0,
      errorKind: 'timeout',
      callerFault: false,
      latencyMs: 5,
      willRetry: false,
    });
    const snapshot = collector.snapshot();
    expect(collector.sizes.bucketSlots).toBe(360);
    expect(snapshot.series.times).toHaveLength(360);
    const p = snapshot.providers.find((x) => x.name === 'p')!;
    // The window is the current bucket and the 359 before it: 359 successes and the failure.
    expect(p.window).toMatchObject({
      requests: 360,
      errors: 1,
      errorsByKind: { timeout: 1 },
      promptTokens: 359 * 3,
    });
    expect(p.window.cost.USD).toBeCloseTo(359 * 0.5);
    // Quantiles come from log-scale bins: within 7.5 % of the true value.
    expect(p.window.latencyP50).toBeGreaterThan(92);
    expect(p.window.latencyP50).toBeLessThan(108);
    expect(p.window.ttftP95).toBeGreaterThan(37);
    expect(p.window.ttftP95).toBeLessThan(43);
    // 1 per 10 s in a full bucket; the current bucket has just begun, so its one failure reads over 1 s.
    expect(snapshot.series.providers.p?.requestRate.at(-2)).toBe(0.1);
    expect(snapshot.series.providers.p?.requestRate.at(-1)).toBe(1);
    expect(snapshot.series.errorsByKind.timeout?.at(-1)).toBe(1);
    // A provider the router no longer has is forgotten once its data has aged out.
    now += 3_600_000;
    expect(collector.snapshot().providers).toEqual([]);
    expect(collector.sizes.providers).toBe(0);
  });

  it('ticks subscribers with one timer, sends JSON only on change, and stops it with the last subscriber', () => {
    vi.useFakeTimers();
    const router = fakeRouter();
    const collector = track(new DashboardCollector({ router: router as never, intervalMs: 100 }));
    const received: (string | null)[] = [];
    const other: (string | null)[] = [];
    const stopA = collector.subscribe({ update: (json) => received.push(json) });
    const stopB = collector.subscribe({ update: (json) => other.push(json) });
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(100);
    vi.advanceTimersByTime(100);
    expect(received[0]).toContain('"version":1');
    expect(received[1]).toBeNull(); // nothing changed
    router.emit({ type: 'route-start', requestId: 'r1', streaming: false, candidates: [] });
    vi.advanceTimersByTime(100);
    expect(received[2]).toContain('"r1"');
    expect(other).toEqual(received); // one snapshot shared by both
    stopA();
    stopA();
    expect(collector.subscriberCount).toBe(1);
    expect(vi.getTimerCount()).toBe(1);
    stopB();
    expect(collector.subscriberCount).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() unsubscribes from the router, ends subscribers and stops the timer', async () => {
    const router = quietRouter();
    router.addProvider(createMockProvider({ name: 'a', latencyMs: 0 }));
    const collector = new DashboardCollector({ router, intervalMs: 50 });
    const closed = vi.fn();
    collector.subscribe({ update: () => {}, close: closed });
    await router.route('before');
    collector.close();
    collector.close();
    expect(closed).toHaveBeenCalledTimes(1);
    expect(collector.subscriberCount).toBe(0);
    expect(collector.listening).toBe(false);
    await router.route('after');
    expect(collector.snapshot().totals.routed).toBe(1);
    const late = vi.fn();
    collector.subscribe({ update: () => {}, close: late });
    expect(late).toHaveBeenCalledTimes(1);
    expect(collector.subscriberCount).toBe(0);
  });

  it('rejects bad options, naming the field and the fix', () => {
    const router = quietRouter();
    expect(() => new DashboardCollector({ router, historyMinute: 5 } as never)).toThrow(
      /historyMinute.*did you mean historyMinutes/,
    );
    expect(() => new DashboardCollector({ router: {} as never })).toThrow(/router.*must be an llmo Router/);
    expect(() => new DashboardCollector({ router, bucketSeconds: 0 })).toThrow(/bucketSeconds/);
    expect(() => new DashboardCollector({ router, historyMinutes: 600, bucketSeconds: 1 })).toThrow(
      /more than 2000 points/,
    );
  });
});
