import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaissStore, FaissVectorIndex, RetrievalError } from './index.js';

const D = 16;

/** Deterministic vectors (mulberry32), values in -0.5..0.5. */
function vectors(count: number, seed: number, dimension = D): number[][] {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from({ length: count }, () => Array.from({ length: dimension }, next));
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}

/** The brute-force answer the index must agree with. */
function bruteForce(stored: Map<string, number[]>, query: number[]) {
  let best: { key: string; score: number } | undefined;
  for (const [key, v] of stored) {
    const score = cosine(v, query);
    if (!best || score > best.score) best = { key, score };
  }
  return best;
}

const indexes: FaissVectorIndex[] = [];
const open = (options?: ConstructorParameters<typeof FaissVectorIndex>[0]) => {
  const index = new FaissVectorIndex(options);
  indexes.push(index);
  return index;
};
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(indexes.splice(0).map((i) => i.close()));
});

describe('FaissVectorIndex', () => {
  it('finds the nearest vector by cosine similarity, as a brute-force scan does', async () => {
    const index = open();
    const stored = new Map<string, number[]>();
    for (const [i, v] of vectors(200, 1).entries()) {
      stored.set(`k${i}`, v);
      await index.add('s', v, `k${i}`);
    }
    expect(index.size('s')).toBe(200);
    for (const query of vectors(25, 2)) {
      const expected = bruteForce(stored, query)!;
      const got = await index.nearest('s', query);
      expect(got?.key).toBe(expected.key);
      expect(got?.score).toBeCloseTo(expected.score, 5);
    }
    // A stored vector scaled is the same direction: similarity 1.
    const k7 = stored.get('k7')!.map((x) => x * 3);
    expect(await index.nearest('s', k7)).toEqual({ key: 'k7', score: expect.closeTo(1, 5) });
  });

  it('keeps scopes apart, each with its own dimension', async () => {
    const index = open();
    const [a] = vectors(1, 3);
    const [b] = vectors(1, 4, 8);
    await index.add('a', a!, 'in-a');
    await index.add('b', b!, 'in-b');
    expect((await index.nearest('a', a!))?.key).toBe('in-a');
    expect((await index.nearest('b', b!))?.key).toBe('in-b');
    expect(await index.nearest('empty', a!)).toBeUndefined();
    // Another dimension than the scope's cannot be compared: no match (as MemoryVectorIndex), no error.
    expect(await index.nearest('a', b!)).toBeUndefined();
    await expect(index.add('a', b!, 'wrong')).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('scope "a" holds 16-dimensional vectors, got 8'),
    });
    expect(index.size()).toBe(2);
  });

  it('replaces the vector of a key added again', async () => {
    const index = open();
    const [v1, v2] = vectors(2, 5);
    await index.add('s', v1!, 'k');
    await index.add('s', v2!, 'k');
    expect(index.size('s')).toBe(1);
    expect(await index.nearest('s', v2!)).toEqual({ key: 'k', score: expect.closeTo(1, 5) });
    expect((await index.nearest('s', v1!))?.score).toBeCloseTo(cosine(v1!, v2!), 5);
  });

  it('is bounded per scope: the oldest vectors go first', async () => {
    const index = open({ maxPerScope: 3 });
    const vs = vectors(5, 6);
    for (const [i, v] of vs.entries()) await index.add('s', v, `k${i}`);
    expect(index.size('s')).toBe(3);
    // k0 and k1 are gone: their own vectors now find one of the three kept.
    for (const i of [0, 1]) expect(['k2', 'k3', 'k4']).toContain((await index.nearest('s', vs[i]!))?.key);
    for (const i of [2, 3, 4]) expect((await index.nearest('s', vs[i]!))?.key).toBe(`k${i}`);
    // Re-adding k2 makes it the newest, so k3 is evicted next.
    await index.add('s', vs[2]!, 'k2');
    await index.add('s', vs[0]!, 'k0');
    expect((await index.nearest('s', vs[3]!))?.key).not.toBe('k3');
    expect((await index.nearest('s', vs[2]!))?.key).toBe('k2');
  });

  it('removes by key; an unknown key or scope is a no-op; an emptied scope finds nothing', async () => {
    const index = open();
    const [v1, v2] = vectors(2, 7);
    await index.add('s', v1!, 'k1');
    await index.add('s', v2!, 'k2');
    await index.remove('s', 'k1');
    await index.remove('s', 'unknown');
    await index.remove('nowhere', 'k1');
    expect((await index.nearest('s', v1!))?.key).toBe('k2');
    await index.remove('s', 'k2');
    expect(index.size('s')).toBe(0);
    expect(await index.nearest('s', v1!)).toBeUndefined();
    // The scope's store lives on: adding again works.
    await index.add('s', v1!, 'k1');
    expect((await index.nearest('s', v1!))?.key).toBe('k1');
  });

  it('skips zero and non-finite vectors (no direction), as MemoryVectorIndex does', async () => {
    const index = open();
    await index.add('s', new Array(D).fill(0), 'zero');
    await index.add('s', [Number.NaN, ...new Array(D - 1).fill(1)], 'nan');
    expect(index.size()).toBe(0);
    const [v] = vectors(1, 8);
    await index.add('s', v!, 'k');
    expect(await index.nearest('s', new Array(D).fill(0))).toBeUndefined();
  });

  it('starts one store per scope when many adds race on a new scope', async () => {
    const started = vi.spyOn(FaissStore, 'fromVectors');
    const index = open();
    const vs = vectors(40, 9);
    await Promise.all(vs.map((v, i) => index.add(i % 2 ? 'odd' : 'even', v, `k${i}`)));
    expect(started).toHaveBeenCalledTimes(2);
    expect(index.size('even')).toBe(20);
    expect(index.size('odd')).toBe(20);
    const found = await Promise.all(vs.map((v, i) => index.nearest(i % 2 ? 'odd' : 'even', v)));
    expect(found.map((m) => m?.key)).toEqual(vs.map((_, i) => `k${i}`));
  });

  it('close() stops every scope store and later calls reject with closed', async () => {
    const closed = vi.spyOn(FaissStore.prototype, 'close');
    const index = new FaissVectorIndex();
    const [v] = vectors(1, 10);
    await Promise.all(['a', 'b', 'c'].map((s) => index.add(s, v!, 'k')));
    await index.close();
    expect(closed).toHaveBeenCalledTimes(3);
    await index.close();
    for (const call of [
      () => index.add('a', v!, 'k2'),
      () => index.nearest('a', v!),
      () => index.remove('a', 'k'),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RetrievalError);
      expect(error).toMatchObject({ code: 'closed' });
    }
  });

  it('rejects a bad maxPerScope with the field and the fix', () => {
    expect(() => new FaissVectorIndex({ maxPerScope: 0 })).toThrow(/maxPerScope must be a positive integer/);
    expect(() => new FaissVectorIndex({ maxPerScope: 1.5 })).toThrow(RetrievalError);
  });
});
