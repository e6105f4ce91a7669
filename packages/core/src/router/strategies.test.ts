import { describe, expect, it } from 'vitest';
import { RouterError } from '../errors/router-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { ProviderMetrics } from './provider-metrics.js';
import { Router } from './router.js';
import type { StrategyContext } from './routing-strategy.js';
import { bestAvailable } from './strategies/best-available.js';
import { costAware } from './strategies/cost-aware.js';
import { leastLatency } from './strategies/least-latency.js';
import { random } from './strategies/random.js';
import { roundRobin } from './strategies/round-robin.js';
import { weighted } from './strategies/weighted.js';
import { STRATEGY_NAMES } from './strategy-names.js';

const names = (list: readonly ProviderV1[]) => list.map((p) => p.name);
const [a, b, c] = [fakeProvider('a'), fakeProvider('b'), fakeProvider('c')];

function contextWith(options: {
  metrics?: Record<string, ProviderMetrics>;
  streaming?: boolean;
  random?: () => number;
  cost?: Record<string, { amount: number; currency: string } | null>;
  exploration?: number;
}): StrategyContext {
  return {
    streaming: options.streaming ?? false,
    metrics: (p) => options.metrics?.[p.name] ?? new ProviderMetrics(p.name, p.model),
    isHealthy: async () => true,
    estimateCost: (p) => {
      const cost = options.cost?.[p.name];
      return cost === null ? undefined : (cost ?? { amount: 0, currency: 'USD' });
    },
    random: options.random ?? Math.random,
    exploration: options.exploration ?? 0,
  };
}

function metricsWith(name: string, latencies: number[], errors = 0): ProviderMetrics {
  const m = new ProviderMetrics(name, 'm');
  for (const latencyMs of latencies) m.recordSuccess({ latencyMs });
  for (let i = 0; i < errors; i++) m.recordError({ kind: 'server' });
  return m;
}

describe('round-robin', () => {
  it('starts each request at the next provider, the others following in circular order', () => {
    const strategy = roundRobin();
    const context = contextWith({});
    expect(names(strategy.order([a, b, c], context) as ProviderV1[])).toEqual(['a', 'b', 'c']);
    expect(names(strategy.order([a, b, c], context) as ProviderV1[])).toEqual(['b', 'c', 'a']);
    expect(names(strategy.order([a, b, c], context) as ProviderV1[])).toEqual(['c', 'a', 'b']);
    expect(names(strategy.order([a, b, c], context) as ProviderV1[])).toEqual(['a', 'b', 'c']);
  });

  it('is the default of Router and spreads real requests', async () => {
    const router = new Router({ onWarning: false });
    for (const p of [fakeProvider('a'), fakeProvider('b'), fakeProvider('c')]) router.addProvider(p);
    const served = [];
    for (let i = 0; i < 4; i++) served.push((await router.route('hi')).provider);
    expect(served).toEqual(['a', 'b', 'c', 'a']);
  });
});

describe('random', () => {
  it('picks the first provider from the random number and keeps circular order behind it', () => {
    expect(names(random().order([a, b, c], contextWith({ random: () => 0.5 })) as ProviderV1[])).toEqual([
      'b',
      'c',
      'a',
    ]);
    expect(names(random().order([a, b, c], contextWith({ random: () => 0.99 })) as ProviderV1[])).toEqual([
      'c',
      'a',
      'b',
    ]);
  });

  it('is reproducible with a router seed', async () => {
    const run = async () => {
      const router = new Router({ strategy: 'random', seed: 7, onWarning: false });
      for (const p of [fakeProvider('a'), fakeProvider('b'), fakeProvider('c')]) router.addProvider(p);
      const served = [];
      for (let i = 0; i < 12; i++) served.push((await router.route('hi')).provider);
      return served;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });
});

describe('first-available', () => {
  it('puts providers whose health check passes first, failing ones last, and caches checks', async () => {
    const sick = fakeProvider('sick', [], { healthy: false });
    const well = fakeProvider('well');
    const router = new Router({
      strategy: 'first-available',
      onWarning: false,
      healthCheck: { ttlMs: 60_000 },
    });
    router.addProvider(sick).addProvider(well);
    for (let i = 0; i < 5; i++) expect((await router.route('hi')).provider).toBe('well');
    expect(sick.healthChecks).toBe(1);
    expect(well.healthChecks).toBe(1);
    expect(sick.calls).toHaveLength(0);
  });

  it('still tries unhealthy providers when none passes', async () => {
    const router = new Router({ strategy: 'first-available', onWarning: false });
    router.addProvider(fakeProvider('x', [], { healthy: false }));
    expect((await router.route('hi')).provider).toBe('x');
  });
});

describe('best-available', () => {
  it('orders healthy before degraded before unhealthy, then by rolling latency', () => {
    const metrics = {
      a: metricsWith('a', [50, 50, 50, 50, 50, 50]), // healthy, slow
      b: metricsWith('b', [10, 10, 10, 10, 10, 10]), // healthy, fast
      c: metricsWith('c', [1, 1, 1], 3), // 3/6 errors: degraded, fastest
    };
    expect(names(bestAvailable().order([a, b, c], contextWith({ metrics })) as ProviderV1[])).toEqual([
      'b',
      'a',
      'c',
    ]);
  });

  it('judges a provider with no data optimistically: it goes first', () => {
    const metrics = { a: metricsWith('a', [5, 5]), b: metricsWith('b', [1, 1]) };
    expect(names(bestAvailable().order([a, b, c], contextWith({ metrics })) as ProviderV1[])).toEqual([
      'c',
      'b',
      'a',
    ]);
  });

  // Finding 1: "requests but no latency sample" is no data (optimistic), not infinitely slow.
  it('ranks a healthy provider whose only request failed as "no data", not as the slowest', () => {
    const metrics = { a: metricsWith('a', [], 1), b: metricsWith('b', [9]) };
    expect(names(bestAvailable().order([b, a], contextWith({ metrics })) as ProviderV1[])).toEqual([
      'a',
      'b',
    ]);
    const callerFault = new ProviderMetrics('a', 'm');
    callerFault.recordError({ kind: 'bad_request', callerError: true });
    expect(
      names(
        leastLatency().order(
          [b, a],
          contextWith({ metrics: { a: callerFault, b: metrics.b } }),
        ) as ProviderV1[],
      ),
    ).toEqual(['a', 'b']);
  });

  it('explores: with probability `exploration`, a provider lacking recent data leads', () => {
    const metrics = { a: metricsWith('a', [5, 5, 5, 5]), b: metricsWith('b', [50]) };
    const draws = [0.01, 0]; // below the rate, then the first candidate
    const context = contextWith({ metrics, exploration: 0.05, random: () => draws.shift() ?? 0.99 });
    expect(names(bestAvailable().order([a, b], context) as ProviderV1[])).toEqual(['b', 'a']);
    const noExplore = contextWith({ metrics, exploration: 0.05, random: () => 0.5 });
    expect(names(bestAvailable().order([a, b], noExplore) as ProviderV1[])).toEqual(['a', 'b']);
    expect(names(leastLatency({ exploration: 0 }).order([a, b], context) as ProviderV1[])).toEqual([
      'a',
      'b',
    ]);
  });

  it('puts unhealthy providers last', () => {
    const metrics = { a: metricsWith('a', [1, 1], 4), b: metricsWith('b', [100]) };
    expect(names(bestAvailable().order([a, b], contextWith({ metrics })) as ProviderV1[])).toEqual([
      'b',
      'a',
    ]);
  });
});

describe('least-latency', () => {
  it('ranks by rolling latency for route() and by time to first token for streams', () => {
    const ma = new ProviderMetrics('a', 'm');
    const mb = new ProviderMetrics('b', 'm');
    ma.recordSuccess({ latencyMs: 100, ttftMs: 5 });
    mb.recordSuccess({ latencyMs: 50, ttftMs: 40 });
    const metrics = { a: ma, b: mb };
    expect(names(leastLatency().order([a, b], contextWith({ metrics })) as ProviderV1[])).toEqual(['b', 'a']);
    expect(
      names(leastLatency().order([a, b], contextWith({ metrics, streaming: true })) as ProviderV1[]),
    ).toEqual(['a', 'b']);
  });
});

describe('weighted', () => {
  // Finding 11: names that are Object.prototype keys, and NaN weights.
  it('weighs providers named like Object.prototype keys, and rejects NaN or negative weights', () => {
    const ctor = fakeProvider('constructor');
    const str = fakeProvider('toString');
    const order = weighted({ weights: {} }).order(
      [ctor, str],
      contextWith({ random: () => 0.1 }),
    ) as ProviderV1[];
    expect(names(order).sort()).toEqual(['constructor', 'toString']);
    expect(() => weighted({ weights: { a: Number.NaN } })).toThrow(/weights\.a: must be a finite number ≥ 0/);
    expect(() => new Router({ strategy: 'weighted', weights: { a: -1 } })).toThrow(RouterError);
  });

  it('leads in proportion to weight and puts zero weights last', () => {
    let seed = 1;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const strategy = weighted({ weights: { a: 3, b: 1, c: 0 } });
    const context = contextWith({ random: rnd });
    const leads: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 4000; i++) {
      const order = strategy.order([a, b, c], context) as ProviderV1[];
      leads[order[0]!.name]!++;
      expect(order.at(-1)!.name).toBe('c');
      expect(new Set(names(order)).size).toBe(3);
    }
    expect(leads.c).toBe(0);
    expect(leads.a! / leads.b!).toBeGreaterThan(2.5);
    expect(leads.a! / leads.b!).toBeLessThan(3.5);
  });

  it('takes weights from Router options', async () => {
    const router = new Router({ strategy: 'weighted', weights: { a: 1, b: 0 }, onWarning: false, seed: 3 });
    router.addProvider(fakeProvider('a')).addProvider(fakeProvider('b'));
    for (let i = 0; i < 5; i++) expect((await router.route('hi')).provider).toBe('a');
  });
});

describe('cost-aware', () => {
  // Finding 6: an unknown price is never taken for free.
  it('ranks providers with no known price after every priced one, even an expensive one', () => {
    const cost = { a: null, b: { amount: 100, currency: 'USD' }, c: { amount: 0, currency: 'USD' } };
    expect(names(costAware().order([a, b, c], contextWith({ cost })) as ProviderV1[])).toEqual([
      'c',
      'b',
      'a',
    ]);
  });

  it('orders by estimated cost, converting currencies with rates', () => {
    const cost = {
      a: { amount: 0.02, currency: 'USD' },
      b: { amount: 1, currency: 'RUB' },
      c: { amount: 0, currency: 'USD' },
    };
    expect(names(costAware().order([a, b, c], contextWith({ cost })) as ProviderV1[])).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(
      names(
        costAware({ rates: { USD: 1, RUB: 0.011 } }).order([a, b, c], contextWith({ cost })) as ProviderV1[],
      ),
    ).toEqual(['c', 'b', 'a']);
  });

  it('uses the router price table through the context', async () => {
    const expensive = fakeProvider('expensive', [], {
      pricing: { inputPer1K: 10, outputPer1K: 30, currency: 'USD' },
    });
    const cheap = fakeProvider('cheap', [], {
      pricing: { inputPer1K: 0.1, outputPer1K: 0.3, currency: 'USD' },
    });
    const router = new Router({ strategy: 'cost-aware', onWarning: false });
    router.addProvider(expensive).addProvider(cheap);
    expect((await router.route('hi')).provider).toBe('cheap');
  });
});

describe('strategy names and custom strategies', () => {
  it('rejects an unknown name, listing the valid ones', () => {
    const error = (() => {
      try {
        new Router({ strategy: 'fastest' as never });
      } catch (e) {
        return e;
      }
    })();
    expect(RouterError.isInstance(error)).toBe(true);
    for (const name of STRATEGY_NAMES) expect((error as Error).message).toContain(name);
  });

  it('accepts a custom strategy object and tries providers in its order', async () => {
    const failing = fakeProvider('a', [{ error: new Error('boom') }]);
    const router = new Router({
      onWarning: false,
      retry: fastRetry,
      strategy: { name: 'reverse', order: (providers) => [...providers].reverse() },
    });
    router.addProvider(fakeProvider('b')).addProvider(failing);
    const result = await router.route('hi');
    expect(result.attempts.map((x) => x.provider)).toEqual(['a', 'b']);
  });
});

describe('per-request hints', () => {
  const build = () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    router
      .addProvider(fakeProvider('a', [], { pricing: { inputPer1K: 100, outputPer1K: 100, currency: 'USD' } }))
      .addProvider(
        fakeProvider('b', [], {
          pricing: { inputPer1K: 1, outputPer1K: 1, currency: 'RUB' },
          capabilities: { tools: true },
        }),
      )
      .addProvider(fakeProvider('c', [], { pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'USD' } }));
    return router;
  };

  it('moves the preferred provider first', async () => {
    expect((await build().route('hi', { preferredProvider: 'c' })).provider).toBe('c');
  });

  it('never uses excluded providers', async () => {
    const router = build();
    for (let i = 0; i < 3; i++)
      expect((await router.route('hi', { excludeProviders: ['a', 'b'] })).provider).toBe('c');
  });

  it('keeps only providers with the required capabilities', async () => {
    expect((await build().route('hi', { requiredCapabilities: ['tools'] })).provider).toBe('b');
  });

  it('drops providers over maxCost or priced in another currency, keeping free ones', async () => {
    const result = await build().route('hi', { maxCost: { amount: 0.5, currency: 'USD' } });
    expect(result.provider).toBe('c');
  });

  it('fails clearly when the hints leave no provider', async () => {
    await expect(build().route('hi', { excludeProviders: ['a', 'b', 'c'] })).rejects.toMatchObject({
      name: 'RouteFailedError',
      reason: 'no-candidates',
    });
  });
});
