import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec/stream-part.js';
import { BatchReader } from './batch-reader.js';
import { flattenBatches } from './flatten-batches.js';
import { partStream } from './part-stream.js';
import { parseSseBatches } from './sse-parser.js';

// Calls made together (next(); next(); return()) settle in order, as an async generator serves them: each
// iterator here reads a body whose chunks arrive later, so every call but the first waits on I/O.

/** A body whose chunks arrive one per 2 ms; `cancelled` says whether the reader cancelled it. */
function slowBody(chunks: string[]) {
  const state = { cancelled: false };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (i < chunks.length) controller.enqueue(new TextEncoder().encode(chunks[i++]));
      else controller.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

const label = (r: IteratorResult<unknown>) => (r.done ? 'done' : r.value);

describe('calls made together are served in order', () => {
  it('PartStream: next(), next(), return() → the first two parts, then done', async () => {
    const { body } = slowBody(['data: a\n\ndata: b\n\n', 'data: c\n\n']);
    const stream = partStream(() => ({
      source: {
        batches: parseSseBatches(body),
        map: (event, out) => {
          out.push({ type: 'text-delta', id: '0', delta: event.data });
        },
        finish: (out) => {
          out.push({ type: 'finish', finishReason: 'stop' });
        },
      },
    }));
    const calls = [stream.next(), stream.next(), stream.return?.() as Promise<IteratorResult<StreamPart>>];
    const results = await Promise.all(calls);
    expect(results.map((r) => (r.done ? 'done' : (r.value as { delta: string }).delta))).toEqual([
      'a',
      'b',
      'done',
    ]);
    expect((await stream.next()).done).toBe(true);
  });

  it('flattenBatches: next(), next(), return() → a, b, done (b from the first read, not c from a second)', async () => {
    const { body } = slowBody(['data: a\n\ndata: b\n\n', 'data: c\n\n']);
    const flat = flattenBatches(parseSseBatches(body));
    const results = await Promise.all([
      flat.next(),
      flat.next(),
      flat.return?.() as Promise<IteratorResult<unknown>>,
    ]);
    expect(results.map((r) => (r.done ? 'done' : (r.value as { data: string }).data))).toEqual([
      'a',
      'b',
      'done',
    ]);
  });

  it('BatchReader: a read with no complete value (a keep-alive) does not let a later call overtake', async () => {
    const { body } = slowBody([': keep-alive\n\n', 'data: a\n\n', 'data: b\n\n']);
    const reader = parseSseBatches(body);
    const results = await Promise.all([reader.next(), reader.next(), reader.next()]);
    expect(
      results.map((r) => (r.done ? 'done' : (r.value as { data: string }[]).map((e) => e.data))),
    ).toEqual([['a'], ['b'], 'done']);
  });

  it('BatchReader: a framing error not yet thrown is not thrown after return()', async () => {
    const { body } = slowBody(['{"a":1}\nnot json\n']);
    const reader = new BatchReader<unknown>(body, (push) => ({
      feed: (text) => {
        for (const line of text.split('\n')) if (line) push(JSON.parse(line));
      },
      end: () => {},
    }));
    expect(label(await reader.next())).toEqual([{ a: 1 }]); // the value before the bad line comes first
    await reader.return();
    expect((await reader.next()).done).toBe(true);
  });

  it('PartStream: a mapError that throws still releases the body, and its error is what the caller gets', async () => {
    const { body, state } = slowBody(['data: a\n\n', 'data: bad\n\n', 'data: c\n\n']);
    const stream = partStream(() => ({
      source: {
        batches: parseSseBatches(body),
        map: (event, out) => {
          if (event.data === 'bad') throw new Error('malformed');
          out.push({ type: 'text-delta', id: '0', delta: event.data });
        },
        finish: () => {},
        mapError: () => {
          throw new Error('mapError failed');
        },
      },
    }));
    expect((await stream.next()).done).toBe(false);
    await expect(stream.next()).rejects.toThrow('mapError failed');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.cancelled).toBe(true);
    expect((await stream.next()).done).toBe(true);
  });
});
