import { describe, expect, it } from 'vitest';
import { ProviderMetrics } from './provider-metrics.js';

function metrics() {
  let now = 1_000_000;
  const m = new ProviderMetrics('p', 'm', () => now);
  return {
    m,
    advance: (ms: number) => {
      now += ms;
    },
    ok: (n: number, latencyMs = 100) => {
      for (let i = 0; i < n; i++) m.recordSuccess({ latencyMs });
    },
    err: (n: number) => {
      for (let i = 0; i < n; i++) m.recordError({ kind: 'server' });
    },
  };
}

describe('health thresholds (the seed constants)', () => {
  it('fewer than 5 requests: healthy, whatever happened (optimistic)', () => {
    const { m, err } = metrics();
    err(4);
    expect(m.health).toBe('healthy');
    err(1);
    expect(m.health).toBe('unhealthy');
  });

  it('error rate just under 0.3 is healthy; exactly 0.3 is degraded', () => {
    const a = metrics();
    a.ok(8);
    a.err(3); // 3/11 = 0.27
    expect(a.m.health).toBe('healthy');
    const b = metrics();
    b.ok(7);
    b.err(3); // 3/10 = 0.3
    expect(b.m.health).toBe('degraded');
  });

  it('error rate just under 0.6 is degraded; exactly 0.6 is unhealthy', () => {
    const a = metrics();
    a.ok(5);
    a.err(7); // 7/12 = 0.58
    expect(a.m.health).toBe('degraded');
    const b = metrics();
    b.ok(2);
    b.err(3); // 3/5 = 0.6
    expect(b.m.health).toBe('unhealthy');
  });

  it('counts errors and requests over the same 60 s window: old traffic cannot hide a fresh outage', () => {
    const { m, ok, err, advance } = metrics();
    ok(1000);
    advance(61_000);
    err(5);
    expect(m.recentErrorRate).toBe(1);
    expect(m.health).toBe('unhealthy');
  });

  it('errors older than 60 s stop counting', () => {
    const { m, ok, err, advance } = metrics();
    err(5);
    expect(m.health).toBe('unhealthy');
    advance(60_000);
    ok(5);
    expect(m.windowCounts()).toEqual({ requests: 5, errors: 0 });
    expect(m.health).toBe('healthy');
  });

  it('after 20 requests, rolling latency above 2x the long-run average is degraded', () => {
    const { m, ok } = metrics();
    ok(19, 100);
    ok(1, 10_000); // 20 requests; rolling avg = long-run avg (window 100 holds all) → not > 2x
    expect(m.health).toBe('healthy');
    const slow = metrics();
    slow.ok(900, 10);
    slow.ok(100, 100); // rolling 100 ms vs long-run 19 ms
    expect(slow.m.health).toBe('degraded');
  });

  it('latency is not judged before 20 requests', () => {
    const { m, ok } = metrics();
    ok(5, 1);
    ok(14, 1_000);
    expect(m.totalRequests).toBe(19);
    expect(m.health).toBe('healthy');
  });

  it('caller errors are counted but never make a provider unhealthy', () => {
    const { m } = metrics();
    for (let i = 0; i < 10; i++) m.recordError({ kind: 'bad_request', callerError: true });
    expect(m.health).toBe('healthy');
    expect(m.snapshot()).toMatchObject({
      callerErrors: 10,
      failedRequests: 0,
      errorsByKind: { bad_request: 10 },
    });
  });

  it('keeps a 100-entry rolling latency window and percentiles', () => {
    const { m, ok } = metrics();
    for (let i = 1; i <= 150; i++) ok(1, i);
    const s = m.snapshot();
    expect(s.rollingAvgLatencyMs).toBe(100.5); // 51..150
    expect(s.avgLatencyMs).toBe(75.5);
    expect(s.p50LatencyMs).toBe(101);
    expect(s.p95LatencyMs).toBe(146);
  });
});

describe('router health transitions', () => {
  it('a provider failing 3 of 5 requests turns unhealthy and best-available stops leading with it', async () => {
    const { Router } = await import('./router.js');
    const { fakeProvider, fail } = await import('./fake-provider.test-helper.js');
    const flaky = fakeProvider('flaky', (call) => (call % 5 < 3 ? { error: fail('auth') } : {}));
    const router = new Router({ strategy: 'best-available', onWarning: false, circuitBreaker: false });
    router.addProvider(flaky);
    for (let i = 0; i < 5; i++) await router.route('x').catch(() => {});
    expect(router.getMetrics().flaky?.health).toBe('unhealthy');
    router.addProvider(fakeProvider('steady'));
    expect((await router.route('x')).provider).toBe('steady');
  });
});
