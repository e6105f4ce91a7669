import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaissStore, FaissVectorIndex, RetrievalError } from './index.js';

const indexes: FaissVectorIndex[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(indexes.splice(0).map((i) => i.close()));
});

const unit = (i: number) => [1, (i % 5) + 1, 2, 3];

describe('FaissVectorIndex holds a bounded number of scopes (each a worker pool)', () => {
  it('closes the least recently used scope beyond maxScopes; a scope in use stays', async () => {
    const closed = vi.spyOn(FaissStore.prototype, 'close');
    const index = new FaissVectorIndex({ maxScopes: 3 });
    indexes.push(index);
    await index.add('kept', unit(0), 'k');
    for (let i = 0; i < 10; i++) {
      await index.add(`seed-${i}`, unit(i), `key-${i}`);
      // Used on every round: never the least recent.
      expect((await index.nearest('kept', unit(0)))?.key).toBe('k');
    }
    expect(index.scopeCount()).toBe(3);
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(8), { timeout: 10_000 });
    // An evicted scope is gone (a miss), the recent ones answer.
    expect(await index.nearest('seed-0', unit(0))).toBeUndefined();
    expect((await index.nearest('seed-9', unit(9)))?.key).toBe('key-9');
    // A scope evicted and used again starts afresh.
    await index.add('seed-0', unit(0), 'again');
    expect((await index.nearest('seed-0', unit(0)))?.key).toBe('again');
  }, 60_000);

  it('closes a scope its last vector left', async () => {
    const closed = vi.spyOn(FaissStore.prototype, 'close');
    const index = new FaissVectorIndex();
    indexes.push(index);
    await index.add('s', unit(1), 'a');
    await index.remove('s', 'a');
    expect(index.scopeCount()).toBe(0);
    await vi.waitFor(() => expect(closed).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    await index.add('s', unit(1), 'b');
    expect((await index.nearest('s', unit(1)))?.key).toBe('b');
  }, 60_000);

  it('rejects a bad maxScopes with the field and the fix', () => {
    expect(() => new FaissVectorIndex({ maxScopes: 0 })).toThrow(/maxScopes must be a positive integer/);
    expect(() => new FaissVectorIndex({ maxScopes: 2.5 })).toThrow(RetrievalError);
  });
});
