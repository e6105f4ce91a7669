import { describe, expect, it } from 'vitest';
import { RouterError } from '../errors/router-error.js';
import { fail, fakeProvider, fastRetry } from './fake-provider.test-helper.js';
import { Router } from './router.js';

describe('updateProviders', () => {
  it('lets 5 requests in flight finish on the old providers while new ones use the new set', async () => {
    const router = new Router({ strategy: 'round-robin', onWarning: false });
    router
      .addProvider(fakeProvider('old-a', [{ delayMs: 40 }]))
      .addProvider(fakeProvider('old-b', [{ delayMs: 40 }]));
    const inFlight = Array.from({ length: 5 }, (_, i) => router.route(`q${i}`));
    await new Promise((resolve) => setTimeout(resolve, 5));
    router.updateProviders([fakeProvider('new-a')]);
    const after = await router.route('after the swap');
    const results = await Promise.all(inFlight);
    for (const result of results) expect(result.provider).toMatch(/^old-/);
    expect(after.provider).toBe('new-a');
    expect(Object.keys(router.getMetrics())).toEqual(['new-a']);
  });

  it('preserveMetrics keeps metrics for matching names and drops removed ones', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(fakeProvider('keep')).addProvider(fakeProvider('drop'));
    for (let i = 0; i < 4; i++) await router.route('hi');
    router.updateProviders([fakeProvider('keep'), fakeProvider('fresh')], { preserveMetrics: true });
    const metrics = router.getMetrics();
    expect(metrics.keep?.totalRequests).toBe(2);
    expect(metrics.fresh?.totalRequests).toBe(0);
    expect(metrics.drop).toBeUndefined();
  });

  it('without preserveMetrics every provider starts fresh', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(fakeProvider('keep'));
    await router.route('hi');
    router.updateProviders([fakeProvider('keep')]);
    expect(router.getMetrics().keep?.totalRequests).toBe(0);
  });

  it('logs a model change under the same name as a warning', async () => {
    const warnings: unknown[] = [];
    const logged: unknown[] = [];
    const router = new Router({
      onWarning: (w) => warnings.push(w),
      logger: { info: () => {}, warn: (fields) => logged.push(fields) },
    });
    router.addProvider(fakeProvider('gigachat', [], { model: 'GigaChat' }));
    router.updateProviders([fakeProvider('gigachat', [], { model: 'GigaChat-Pro' })], {
      preserveMetrics: true,
    });
    expect(warnings).toEqual([expect.objectContaining({ code: 'model-changed' })]);
    expect(logged).toEqual([
      expect.objectContaining({ event: 'provider_model_changed', from: 'GigaChat', to: 'GigaChat-Pro' }),
    ]);
    expect(router.getMetrics().gigachat?.model).toBe('GigaChat-Pro');
  });

  // Finding 11: updateProviders is synchronous; a bad call throws at once (no unhandled rejection).
  it('rejects an empty list or duplicate names synchronously and keeps the old set', async () => {
    const router = new Router({ onWarning: false });
    router.addProvider(fakeProvider('a'));
    expect(() => router.updateProviders([])).toThrow(/needs at least one provider/);
    let thrown: unknown;
    try {
      router.updateProviders([fakeProvider('x'), fakeProvider('x')]);
    } catch (error) {
      thrown = error;
    }
    expect(RouterError.isInstance(thrown)).toBe(true);
    expect((thrown as Error).message).toMatch(/duplicate names: "x"/);
    expect(router.updateProviders([fakeProvider('a')])).toBeUndefined();
    expect(router.getProviders().map((p) => p.name)).toEqual(['a']);
    await expect(router.route('hi')).resolves.toMatchObject({ provider: 'a' });
  });

  // Finding 2: a failure of a stream still running on the old provider is not charged to its replacement.
  it('records a late failure on the state the attempt started with, not on a same-name replacement', async () => {
    const router = new Router({
      onWarning: false,
      retry: fastRetry,
      circuitBreaker: { failureThreshold: 1 },
      idleTimeoutMs: 0,
    });
    const old = fakeProvider('p', [{ text: 'one two three', failAfterChunks: 2, error: fail('server') }]);
    router.addProvider(old);
    const stream = router.routeStream('hi');
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next(); // committed to the old provider
    router.updateProviders([fakeProvider('p')]);
    await expect(
      (async () => {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
          // drain
        }
      })(),
    ).rejects.toMatchObject({ name: 'StreamInterruptedError', kind: 'server' });
    expect(router.getMetrics().p).toMatchObject({ failedRequests: 0, totalRequests: 0, circuit: 'closed' });
    await expect(router.route('hi')).resolves.toMatchObject({ provider: 'p' });
  });
});

describe('addProvider / removeProvider', () => {
  it('rejects a duplicate name with a fix in the message', () => {
    const router = new Router({ onWarning: false }).addProvider(fakeProvider('a'));
    expect(() => router.addProvider(fakeProvider('a'))).toThrow(/already registered.*removeProvider\("a"\)/);
  });

  it('rejects a provider of an unknown specification version', () => {
    const v2 = { ...fakeProvider('a'), specificationVersion: 'v2' } as never;
    expect(() => new Router({ onWarning: false }).addProvider(v2)).toThrow(
      /specification "v2".*supports "v1"/,
    );
  });

  it('removes a provider and its metrics', async () => {
    const router = new Router({ onWarning: false })
      .addProvider(fakeProvider('a'))
      .addProvider(fakeProvider('b'));
    expect(router.removeProvider('a')).toBe(true);
    expect(router.removeProvider('a')).toBe(false);
    expect((await router.route('hi')).provider).toBe('b');
    expect(Object.keys(router.getMetrics())).toEqual(['b']);
  });
});
