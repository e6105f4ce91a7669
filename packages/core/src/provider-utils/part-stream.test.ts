import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../spec/stream-part.js';
import { type PartSource, partStream } from './part-stream.js';

const text = (delta: string): StreamPart => ({ type: 'text-delta', id: '0', delta });
const finishPart: StreamPart = { type: 'finish', finishReason: 'stop' };

/** Batches handed out one per `next()`, recording what was asked of them. */
function batchesOf<E>(items: E[][]) {
  const log: string[] = [];
  let i = 0;
  const iterator: AsyncIterableIterator<E[]> = {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      log.push('read');
      return i < items.length ? { done: false, value: items[i++] as E[] } : { done: true, value: undefined };
    },
    async return() {
      log.push('return');
      return { done: true, value: undefined };
    },
  };
  return { iterator, log };
}

function source(
  batches: AsyncIterable<string[]>,
  extra: Partial<PartSource<string>> = {},
): PartSource<string> & { mapped: string[]; finished: boolean[] } {
  const mapped: string[] = [];
  const finished: boolean[] = [];
  return {
    mapped,
    finished,
    batches,
    map(event, out) {
      mapped.push(event);
      if (event === 'DONE') return 'stop';
      if (event === 'bad') throw new Error('malformed');
      if (event !== 'empty') out.push(text(event));
    },
    finish(out, stopped) {
      finished.push(stopped);
      out.push(finishPart);
    },
    ...extra,
  };
}

async function collect(stream: AsyncIterable<StreamPart>) {
  const parts: StreamPart[] = [];
  try {
    for await (const part of stream) parts.push(part);
    return { parts, error: undefined };
  } catch (error) {
    return { parts, error };
  }
}

describe('partStream', () => {
  it('head parts, then each event mapped when asked for, then the finish parts', async () => {
    const { iterator, log } = batchesOf([['a', 'empty', 'b'], [], ['c']]);
    const src = source(iterator);
    const stream = partStream(() => ({ head: [{ type: 'stream-start', warnings: [] }], source: src }));
    expect(src.mapped).toEqual([]);
    expect((await stream.next()).value).toEqual({ type: 'stream-start', warnings: [] });
    expect(log).toEqual([]); // the body is not read before the head parts are taken
    expect((await stream.next()).value).toEqual(text('a'));
    expect(src.mapped).toEqual(['a']); // the first event's part goes out before the next event is mapped
    const rest = await collect(stream);
    expect(rest.parts).toEqual([text('b'), text('c'), finishPart]);
    expect(src.finished).toEqual([false]);
    expect(log).toEqual(['read', 'read', 'read', 'read']);
  });

  it("stops at the end marker: the batch's later events are never mapped, the rest of the body is released", async () => {
    const { iterator, log } = batchesOf([['a', 'DONE', 'never'], ['never']]);
    const src = source(iterator);
    const got = await collect(partStream(() => ({ source: src })));
    expect(got.parts).toEqual([text('a'), finishPart]);
    expect(src.mapped).toEqual(['a', 'DONE']);
    expect(src.finished).toEqual([true]);
    expect(log).toEqual(['read', 'return']);
  });

  it('a failing event ends the stream after the parts before it, with the error mapped', async () => {
    const { iterator, log } = batchesOf([['a', 'bad', 'c']]);
    const src = source(iterator, { mapError: (error) => new Error(`mapped: ${(error as Error).message}`) });
    const got = await collect(partStream(() => ({ source: src })));
    expect(got.parts).toEqual([text('a')]);
    expect((got.error as Error).message).toBe('mapped: malformed');
    expect(log).toEqual(['read', 'return']); // the body is cancelled
  });

  it('a read error and a finish error are mapped too; an open error is not (it is already the request’s)', async () => {
    const failing: AsyncIterable<string[]> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('reset')) }),
    };
    const mapError = (error: unknown) => new Error(`mapped: ${(error as Error).message}`);
    const read = await collect(partStream(() => ({ source: source(failing, { mapError }) })));
    expect((read.error as Error).message).toBe('mapped: reset');

    const truncated = source(batchesOf([['a']]).iterator, {
      mapError,
      finish: () => {
        throw new Error('truncated');
      },
    });
    const finish = await collect(partStream(() => ({ source: truncated })));
    expect(finish.parts).toEqual([text('a')]);
    expect((finish.error as Error).message).toBe('mapped: truncated');

    const open = await collect(
      partStream(async () => {
        throw new Error('HTTP 500');
      }),
    );
    expect((open.error as Error).message).toBe('HTTP 500');
  });

  it('a stop after the head parts cancels the unread body (the request is aborted)', async () => {
    let cancelled = false;
    const response = new Response(
      new ReadableStream({
        cancel() {
          cancelled = true;
        },
      }),
    );
    const { iterator, log } = batchesOf([['a']]);
    const stream = partStream(() => ({
      head: [{ type: 'stream-start', warnings: [] }],
      response,
      source: source(iterator),
    }));
    await stream.next();
    await stream.return?.();
    expect(cancelled).toBe(true);
    expect(log).toEqual([]);
    expect((await stream.next()).done).toBe(true);
  });

  it('calls made while a read is in flight are served in order; return() waits for the read', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: AsyncIterableIterator<string[]> = {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        await gate;
        return { done: false, value: ['a', 'b'] };
      },
      async return() {
        return { done: true, value: undefined };
      },
    };
    const stream = partStream(() => ({ source: source(slow) }));
    const first = stream.next();
    const second = stream.next();
    const stop = stream.return?.();
    release();
    expect((await first).value).toEqual(text('a'));
    expect((await second).value).toEqual(text('b'));
    expect(await stop).toEqual({ done: true, value: undefined });
    expect((await stream.next()).done).toBe(true);
  });
});

describe('partStream takeReady (ReadyParts)', () => {
  it('hands out the rest of a read synchronously, then asks for a read', async () => {
    const { iterator, log } = batchesOf([
      ['a', 'b', 'c'],
      ['d', 'DONE'],
    ]);
    const stream = partStream(() => ({ source: source(iterator) }));
    expect(stream.takeReady()).toBeUndefined(); // nothing opened yet
    expect(await stream.next()).toEqual({ done: false, value: text('a') });
    expect(stream.takeReady()).toEqual({ done: false, value: text('b') });
    expect(stream.takeReady()).toEqual({ done: false, value: text('c') });
    expect(stream.takeReady()).toBeUndefined(); // the read is used up
    expect(log).toEqual(['read']);
    expect(await stream.next()).toEqual({ done: false, value: text('d') });
    expect(stream.takeReady()).toEqual({ done: false, value: finishPart });
    expect(stream.takeReady()).toEqual({ done: true, value: undefined });
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('throws what next() would reject with, after the parts before the bad event', async () => {
    const { iterator } = batchesOf([['a', 'b', 'bad', 'c']]);
    const stream = partStream(() => ({
      source: source(iterator, { mapError: (error) => new Error(`mapped: ${(error as Error).message}`) }),
    }));
    await stream.next();
    expect(stream.takeReady()).toEqual({ done: false, value: text('b') });
    expect(() => stream.takeReady()).toThrow('mapped: malformed');
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('gives nothing while a next() is pending (calls stay in order)', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const batches: AsyncIterable<string[]> = {
      async *[Symbol.asyncIterator]() {
        yield ['a', 'b'];
        await gate;
        yield ['c', 'DONE'];
      },
    };
    const stream = partStream(() => ({ source: source(batches) }));
    await stream.next();
    await stream.next(); // b
    const pending = stream.next(); // waits for the gate
    expect(stream.takeReady()).toBeUndefined();
    release?.();
    expect(await pending).toEqual({ done: false, value: text('c') });
    expect(stream.takeReady()).toEqual({ done: false, value: finishPart });
  });
});
