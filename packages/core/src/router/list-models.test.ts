import { describe, expect, it } from 'vitest';
import { ModelNotFoundError } from '../errors/model-not-found-error.js';
import { fakeProvider, fail as providerFailure } from './fake-provider.test-helper.js';
import { Router } from './router.js';

function listing(name: string, ids: string[] | (() => Promise<string[]>)) {
  let calls = 0;
  const provider = {
    ...fakeProvider(name),
    listModels: async () => {
      calls++;
      const list = typeof ids === 'function' ? await ids() : ids;
      return list.map((id) => ({ id }));
    },
  };
  return { provider, calls: () => calls };
}

describe('router.listModels', () => {
  it('lists one provider once and answers again from the cache until refresh', async () => {
    const a = listing('a', ['m1', 'm2']);
    const router = new Router({ onWarning: false }).addProvider(a.provider);
    expect(await router.listModels('a')).toEqual([{ id: 'm1' }, { id: 'm2' }]);
    await router.listModels('a');
    expect(a.calls()).toBe(1);
    await router.listModels('a', { refresh: true });
    expect(a.calls()).toBe(2);
  });

  it('shares one request between concurrent calls, and does not cache a failure', async () => {
    let failNext = true;
    const a = listing('a', async () => {
      if (failNext) {
        failNext = false;
        throw providerFailure('network');
      }
      return ['m1'];
    });
    const router = new Router({ onWarning: false }).addProvider(a.provider);
    const [first, second] = await Promise.allSettled([router.listModels('a'), router.listModels('a')]);
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');
    expect(a.calls()).toBe(1);
    expect(await router.listModels('a')).toEqual([{ id: 'm1' }]);
    expect(a.calls()).toBe(2);
  });

  it('without a name, reports every provider: listed, unsupported or failed', async () => {
    const router = new Router({ onWarning: false })
      .addProvider(listing('a', ['m1']).provider)
      .addProvider(fakeProvider('plain'))
      .addProvider(
        listing('down', async () => {
          throw providerFailure('auth');
        }).provider,
      );
    const all = await router.listModels();
    expect(all.map((entry) => [entry.provider, entry.status])).toEqual([
      ['a', 'listed'],
      ['plain', 'unsupported'],
      ['down', 'failed'],
    ]);
  });

  it('names the problem for an unknown provider or one that cannot list models', async () => {
    const router = new Router({ onWarning: false }).addProvider(fakeProvider('plain'));
    await expect(router.listModels('nope')).rejects.toMatchObject({
      code: 'unknown-provider',
      message: expect.stringContaining('"plain"'),
    });
    await expect(router.listModels('plain')).rejects.toMatchObject({
      code: 'models-unavailable',
      message: expect.stringContaining('does not implement listModels()'),
    });
  });

  it('asks a replacement provider of the same name again', async () => {
    const first = listing('a', ['old']);
    const second = listing('a', ['new']);
    const router = new Router({ onWarning: false }).addProvider(first.provider);
    await router.listModels('a');
    router.updateProviders([second.provider], { preserveMetrics: true });
    expect(await router.listModels('a')).toEqual([{ id: 'new' }]);
  });
});

describe('ModelNotFoundError', () => {
  it('is recognised by its marker and carries the provider, the model and the list', () => {
    const error = new ModelNotFoundError({ provider: 'p', model: 'gpt-5', available: ['gpt-4o'] });
    expect(ModelNotFoundError.isInstance(error)).toBe(true);
    expect(ModelNotFoundError.isInstance(new Error('x'))).toBe(false);
    expect(error).toMatchObject({ name: 'ModelNotFoundError', provider: 'p', model: 'gpt-5' });
    expect(error.message).toContain('"gpt-5"');
  });
});

describe('RouterError.issues', () => {
  it('lists each bad option with its path, unknown keys with a suggestion', () => {
    try {
      new Router({ retry: { maxRetries: -1 }, timeotMs: 5 } as never);
      expect.unreachable();
    } catch (error) {
      const issues = (error as { issues: { path: PropertyKey[]; message: string }[] }).issues;
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ path: ['retry', 'maxRetries'] }),
          expect.objectContaining({
            path: ['timeotMs'],
            message: 'Unrecognized key: "timeotMs"; did you mean "timeoutMs"?',
            suggestion: 'timeoutMs',
          }),
        ]),
      );
    }
  });

  it('names an unknown strategy at its path', () => {
    try {
      new Router({ strategy: 'round-robbin' as never });
      expect.unreachable();
    } catch (error) {
      expect((error as { issues: unknown }).issues).toEqual([
        { path: ['strategy'], message: expect.stringContaining('unknown strategy "round-robbin"') },
      ]);
    }
  });
});
