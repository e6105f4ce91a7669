import { describe, expect, it } from 'vitest';
import { chunkedBody, collectParts, rejectionOf } from './test-helpers.js';

async function* counted(n: number, failAt?: number) {
  for (let i = 0; i < n; i++) {
    if (i === failAt) throw new Error(`broke at ${i}`);
    yield i;
  }
}

describe('test helpers', () => {
  it('collectParts gathers every item, and rejects with the stream error', async () => {
    expect(await collectParts(counted(3))).toEqual([0, 1, 2]);
    expect((await rejectionOf<Error>(collectParts(counted(3, 1)))).message).toBe('broke at 1');
  });

  it('rejectionOf fails when the promise resolves', async () => {
    await expect(rejectionOf(Promise.resolve({ ok: true }))).rejects.toThrow(
      'expected a rejection, got {"ok":true}',
    );
  });

  it('chunkedBody delivers the bytes in pieces of the given size', async () => {
    const reads: number[] = [];
    const reader = chunkedBody('héllo', 2).getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) reads.push(r.value.length);
    expect(reads).toEqual([2, 2, 2]);
  });
});
