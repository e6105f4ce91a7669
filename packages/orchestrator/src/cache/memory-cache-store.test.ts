import { describe, expect, it } from 'vitest';
import { type CachedAnswer, cacheKey, canonicalJson, MemoryCacheStore, SingleFlight } from '../index.js';

const answer = (text: string): CachedAnswer => ({
  value: text,
  text,
  provider: 'p',
  model: 'm',
  usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, estimated: false },
  cost: { amount: 0.001, currency: 'USD', known: true },
  createdAt: 0,
});

describe('MemoryCacheStore', () => {
  it('expires entries at their TTL', () => {
    let now = 0;
    const store = new MemoryCacheStore({ now: () => now });
    store.set('a', answer('a'), 100);
    now = 99;
    expect(store.get('a')?.text).toBe('a');
    now = 100;
    expect(store.get('a')).toBeUndefined();
    store.set('b', answer('b'), 0);
    expect(store.get('b')).toBeUndefined();
  });

  it('evicts the least recently used entry', () => {
    const store = new MemoryCacheStore({ maxEntries: 2 });
    store.set('a', answer('a'), 1000);
    store.set('b', answer('b'), 1000);
    store.get('a');
    store.set('c', answer('c'), 1000);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.text).toBe('a');
    expect(store.size).toBe(2);
    expect(() => new MemoryCacheStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('cacheKey', () => {
  it('is stable across key order and differs with any value', async () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
    expect(await cacheKey({ a: 1, b: 2 })).toBe(await cacheKey({ b: 2, a: 1 }));
    expect(await cacheKey({ a: 1 })).not.toBe(await cacheKey({ a: 2 }));
    expect(await cacheKey({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SingleFlight', () => {
  it('runs once for concurrent callers, and again after it settles; a failure reaches every caller', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    let release: ((n: number) => void) | undefined;
    const work = () =>
      new Promise<number>((resolve) => {
        runs++;
        release = resolve;
      });
    const a = flight.run('k', undefined, work);
    const b = flight.run('k', undefined, work);
    expect(flight.stats()).toEqual({ flights: 1, waiters: 2 });
    release?.(7);
    expect(await Promise.all([a, b])).toEqual([
      { value: 7, joined: false, inherited: false },
      { value: 7, joined: true, inherited: false },
    ]);
    expect(runs).toBe(1);
    expect(flight.stats()).toEqual({ flights: 0, waiters: 0 });
    const failing = () => Promise.reject(new Error('boom'));
    await expect(
      Promise.all([flight.run('x', undefined, failing), flight.run('x', undefined, failing)]),
    ).rejects.toThrow('boom');
  });

  it('aborts the run only when every caller has given up', async () => {
    const flight = new SingleFlight<string>();
    let runSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) =>
      new Promise<string>((_, reject) => {
        runSignal = signal;
        signal.addEventListener('abort', () => reject(new Error('run aborted')));
      });
    const first = new AbortController();
    const second = new AbortController();
    const a = flight.run('k', first.signal, work);
    const b = flight.run('k', second.signal, work);
    first.abort();
    await expect(a).rejects.toThrow(/aborted/);
    expect(runSignal?.aborted).toBe(false);
    second.abort();
    await expect(b).rejects.toThrow(/aborted/);
    expect(runSignal?.aborted).toBe(true);
  });
});

describe('MemoryCacheStore bytes', () => {
  const big = (text: string) => ({
    text,
    provider: 'p',
    model: 'm',
    usage: { promptTokens: 1, completionTokens: 1, totalTokens: 2, estimated: false },
    cost: { amount: 0, currency: 'USD', known: true },
    createdAt: 0,
  });

  it('caps the bytes held, not only the entries: the least recently used long answers go first', () => {
    const store = new MemoryCacheStore({ maxBytes: 10_000 });
    for (let i = 0; i < 10; i++) store.set(`k${i}`, big('x'.repeat(2000)), 60_000);
    expect(store.bytes).toBeLessThanOrEqual(10_000);
    expect(store.size).toBe(2);
    expect(store.get('k9')).toBeDefined();
    expect(store.get('k0')).toBeUndefined();
    // Larger than the whole budget: not stored, nothing evicted for it.
    store.set('huge', big('x'.repeat(10_000)), 60_000);
    expect(store.get('huge')).toBeUndefined();
    expect(store.size).toBe(2);
    store.clear();
    expect(store.bytes).toBe(0);
    expect(() => new MemoryCacheStore({ maxBytes: 0 })).toThrow(/maxBytes/);
  });
});
