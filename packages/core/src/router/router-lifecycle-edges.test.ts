// Edges of the attempt lifecycle found in review: every path gives a turn its verdict (a stranded probe
// would keep a recovered provider out for good), every stream ends its request, the strategy's output and
// the provider's results are checked, and Retry-After outlives a pass.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { GenerateResult } from '../spec/provider-v1.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router, type RouterOptions } from './router.js';
import { sleep } from './sleep.js';

const breakerOnce = { failureThreshold: 1, cooldownMs: 20 };
const onePass = { ...fastRetry, maxRetries: 0, maxPasses: 1 };
const router = (options: RouterOptions = {}) =>
  new Router({ onWarning: false, retry: fastRetry, ...options });

/** Opens a's circuit with one failure, waits out the cooldown, and returns the router. */
async function withOpenCircuit(options: RouterOptions, steps: Parameters<typeof fakeProvider>[1]) {
  const a = fakeProvider('a', steps);
  const r = router({ retry: onePass, circuitBreaker: breakerOnce, ...options }).addProvider(a);
  await r.route('hi').catch(() => {});
  expect(r.getMetrics().a?.circuit).toBe('open');
  await sleep(30);
  return { r, a };
}

describe('no path strands a half-open probe', () => {
  it('a logger that throws during the probe', async () => {
    let throwing = false;
    const logger = {
      info() {},
      warn() {
        if (throwing) throw new Error('logger transport down');
      },
    };
    const { r } = await withOpenCircuit({ logger }, (call) => (call < 2 ? { error: fail('server') } : {}));
    throwing = true;
    await expect(r.route('hi')).rejects.toMatchObject({ reason: 'all-failed' });
    throwing = false;
    await sleep(30);
    await expect(r.route('hi')).resolves.toMatchObject({ provider: 'a' });
  });

  it('an event listener and the warning handler that both throw', async () => {
    let throwing = false;
    const { r } = await withOpenCircuit(
      {
        onWarning: () => {
          if (throwing) throw new Error('warning handler');
        },
      },
      (call) => (call < 1 ? { error: fail('server') } : {}),
    );
    r.on('attempt-start', () => {
      if (throwing) throw new Error('listener');
    });
    throwing = true;
    await expect(r.route('hi')).resolves.toMatchObject({ provider: 'a' });
    expect(r.getMetrics().a?.circuit).toBe('closed');
  });

  it('a provider that resolves something that is not a result: a malformed answer, not a crash', async () => {
    const { r, a } = await withOpenCircuit({}, [{ error: fail('server') }, {}]);
    const real = a.generate.bind(a);
    let broken = 1;
    a.generate = async (request) => (broken-- > 0 ? (undefined as unknown as GenerateResult) : real(request));
    const error = await r.route('hi').catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'all-failed', kind: 'invalid_response' });
    await sleep(30);
    await expect(r.route('hi')).resolves.toMatchObject({ provider: 'a' });
  });

  it('a stream probe whose consumer walks away without return()', async () => {
    const { r } = await withOpenCircuit({}, (call) => (call === 0 ? { error: fail('server') } : {}));
    const iterator = r.routeStream('hi').parts[Symbol.asyncIterator]();
    await iterator.next(); // the client disconnected; the handler drops the iterator
    expect(r.getMetrics().a?.circuit).toBe('closed');
    await expect(r.route('hi')).resolves.toMatchObject({ provider: 'a' });
  });
});

describe('every stream ends its request', () => {
  it('a consumer that stops at the finish part: no listener left on its signal, close() drains', async () => {
    const r = router().addProvider(fakeProvider('a'));
    const app = new AbortController(); // one long-lived signal, e.g. a server's shutdown signal
    for (let i = 0; i < 5; i++) {
      const parts = r.routeStream('hi', { signal: app.signal }).parts[Symbol.asyncIterator]();
      for (let step = await parts.next(); step.value?.type !== 'finish'; step = await parts.next()) {
        // read up to finish, then stop without return()
      }
    }
    expect(getEventListeners(app.signal, 'abort')).toHaveLength(0);
    await expect(r.close({ timeoutMs: 5_000 })).resolves.toMatchObject({
      drained: true,
      requestsInFlight: 0,
    });
  });

  it('a stream created before close() and read after it is refused, with nothing recorded', async () => {
    const records: unknown[] = [];
    const r = router({ usageCallback: (record) => void records.push(record) }).addProvider(fakeProvider('a'));
    const stream = r.routeStream('hi');
    await r.close();
    await expect(stream.result).rejects.toMatchObject({ code: 'closed' });
    expect(records).toHaveLength(0);
  });

  it('two close() calls both resolve once the request in flight ends', async () => {
    const r = router().addProvider(fakeProvider('a', [{ delayMs: 30 }]));
    const pending = r.route('hi');
    const [first, second] = await Promise.all([
      r.close({ timeoutMs: 60_000 }),
      r.close({ timeoutMs: 60_000 }),
      pending,
    ]);
    expect(first).toMatchObject({ drained: true });
    expect(second).toMatchObject({ drained: true });
  });

  it('route-end of an interrupted stream carries its error kind', async () => {
    const r = router().addProvider(
      fakeProvider('a', [{ text: 'one two three', failAfterChunks: 1, error: fail('network') }]),
    );
    const kinds: unknown[] = [];
    r.on('route-end', (e) => kinds.push(e.errorKind));
    await r.routeStream('hi').result.catch(() => {});
    expect(kinds).toEqual(['network']);
  });
});

describe('deadlines, Retry-After and strategies', () => {
  it('a lone provider gets the whole deadline (no alternative to leave time for)', async () => {
    const a = fakeProvider('a', [{ delayMs: 150 }]);
    await expect(router().addProvider(a).route('hi', { deadlineMs: 5_000 })).resolves.toMatchObject({
      provider: 'a',
    });
    expect(a.calls).toHaveLength(1);
  });

  it('the last provider of a pass leaves time for a later pass of one that failed transiently before it', async () => {
    const a = fakeProvider('a', (call) => (call === 0 ? { error: fail('server') } : { text: 'a ok' }));
    const b = fakeProvider('b', [{ hang: true }]);
    const r = router({ retry: { ...fastRetry, maxRetries: 0 } })
      .addProvider(a)
      .addProvider(b);
    const result = await r.route('hi', { deadlineMs: 6_000 });
    expect(result.text).toBe('a ok');
    expect(result.attempts.map((x) => `${x.provider}:${x.errorKind ?? x.outcome}`)).toEqual([
      'a:server',
      'b:timeout',
      'a:success',
    ]);
  });

  it('a provider that stalls under deadlines stops leading (a censored latency sample, not "no data")', async () => {
    const a = fakeProvider('a', [{ hang: true }]);
    const r = router({ strategy: 'best-available', exploration: 0 })
      .addProvider(a)
      .addProvider(fakeProvider('b'));
    for (let i = 0; i < 5; i++) await expect(r.route('hi', { deadlineMs: 500 })).resolves.toBeDefined();
    expect(a.calls).toHaveLength(1);
    expect(r.getMetrics().a).toMatchObject({ circuit: 'closed', failedRequests: 0 });
  });

  it('a Retry-After longer than the router waits is honoured by later passes too', async () => {
    const a = fakeProvider('a', [{ error: fail('rate_limit', { retryAfterMs: 60_000 }) }]);
    await expect(router({ circuitBreaker: false }).addProvider(a).route('hi')).rejects.toMatchObject({
      reason: 'all-failed',
      kind: 'rate_limit',
    });
    expect(a.calls).toHaveLength(1);
  });

  it('a strategy that returns a provider object the router does not hold fails as the strategy bug it is', async () => {
    const a = fakeProvider('a');
    const stale = { ...a };
    const r = router({ strategy: { name: 'stale', order: () => [stale] } }).addProvider(a);
    await expect(r.route('hi')).rejects.toMatchObject({ code: 'strategy-failed' });
    expect(a.calls).toHaveLength(0);
  });

  it('a slow strategy is bound by the caller signal', async () => {
    const r = router({
      strategy: {
        name: 'slow',
        order: async (providers) => {
          await sleep(60_000);
          return providers;
        },
      },
    }).addProvider(fakeProvider('a'));
    const controller = new AbortController();
    const pending = r.route('hi', { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ reason: 'cancelled' });
  });
});
