import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec/stream-part.js';
import { mapEventBatches } from './map-event-batches.js';

async function* batches(...items: string[][]) {
  for (const batch of items) yield batch;
}
const text = (delta: string): StreamPart => ({ type: 'text-delta', id: '0', delta });

async function run(source: AsyncIterable<string[]>, map: Parameters<typeof mapEventBatches<string>>[1]) {
  const parts: StreamPart[] = [];
  const generator = mapEventBatches(source, map);
  try {
    while (true) {
      const result = await generator.next();
      if (result.done) return { parts, stopped: result.value, error: undefined };
      parts.push(result.value);
    }
  } catch (error) {
    return { parts, stopped: undefined, error };
  }
}

describe('mapEventBatches', () => {
  it('yields the parts of every batch in order and stops at the end marker', async () => {
    const got = await run(batches(['a', 'b'], ['c', 'DONE', 'never']), (e, out) => {
      if (e === 'DONE') return 'stop';
      out.push(text(e));
    });
    expect(got.parts.map((p) => (p.type === 'text-delta' ? p.delta : p.type))).toEqual(['a', 'b', 'c']);
    expect(got.stopped).toBe(true);
  });

  it('yields the parts before a failing event, then throws', async () => {
    const got = await run(batches(['a', 'bad', 'c']), (e, out) => {
      if (e === 'bad') throw new Error('malformed');
      out.push(text(e));
    });
    expect(got.parts).toEqual([text('a')]);
    expect((got.error as Error).message).toBe('malformed');
  });

  it("yields an event's parts before mapping the next one (a whole answer in one read: no delay to the first)", async () => {
    const mapped: string[] = [];
    const generator = mapEventBatches(batches(['a', 'b', 'c']), (e, out) => {
      mapped.push(e);
      out.push(text(e));
    });
    expect((await generator.next()).value).toEqual(text('a'));
    expect(mapped).toEqual(['a']);
    await generator.return(false);
  });

  it('returns false when the batches end without the marker', async () => {
    expect(
      (
        await run(batches(['a']), (e, out) => {
          out.push(text(e));
        })
      ).stopped,
    ).toBe(false);
  });
});
