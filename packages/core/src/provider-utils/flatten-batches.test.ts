import { describe, expect, it } from 'vitest';
import { flattenBatches } from './flatten-batches.js';

function batches(items: (number[] | Error)[]) {
  const log: string[] = [];
  let i = 0;
  const iterator: AsyncIterator<number[]> = {
    async next() {
      const item = items[i++];
      if (item === undefined) return { done: true, value: undefined };
      if (item instanceof Error) throw item;
      return { done: false, value: item };
    },
    async return() {
      log.push('return');
      return { done: true, value: undefined };
    },
  };
  return { iterator, log };
}

describe('flattenBatches', () => {
  it('hands out every value in order, across empty batches; calls made together are served in order', async () => {
    const flat = flattenBatches(batches([[1, 2], [], [], [3], [4, 5]]).iterator);
    const together = await Promise.all([flat.next(), flat.next(), flat.next()]);
    expect(together.map((r) => r.value)).toEqual([1, 2, 3]);
    const rest: number[] = [];
    for await (const value of flat) rest.push(value);
    expect(rest).toEqual([4, 5]);
    expect((await flat.next()).done).toBe(true);
  });

  it('a failing batch rejects after the values before it; return() ends the batches', async () => {
    const failing = flattenBatches(batches([[1], new Error('reset')]).iterator);
    expect((await failing.next()).value).toBe(1);
    await expect(failing.next()).rejects.toThrow('reset');

    const source = batches([[1, 2], [3]]);
    const flat = flattenBatches(source.iterator);
    for await (const value of flat) if (value === 1) break;
    expect(source.log).toEqual(['return']);
  });
});
