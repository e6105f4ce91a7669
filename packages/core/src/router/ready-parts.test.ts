import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import { partStream } from '../provider-utils/part-stream.js';
import type { ChatRequest } from '../spec/chat-request.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { StreamPart } from '../spec/stream-part.js';
import { BaseRouter } from './base-router.js';
import { roundRobin } from './strategies/round-robin.js';

// The router takes the parts a provider stream has ready (`takeReady`, see ReadyParts) without a race per
// part. These tests pin what must not change on that path: order and result, aborts, failures, idle timeouts.

/** A provider whose stream is a real `partStream` over scripted reads (each read: events, or 'stall'). */
function batchedProvider(reads: (string[] | 'stall')[], counters = { reads: 0, readyTaken: 0 }): ProviderV1 {
  return {
    specificationVersion: 'v1',
    name: 'batched',
    model: 'batched-model',
    providerType: 'fake',
    pricing: { inputPer1K: 0, outputPer1K: 0, currency: 'USD' },
    async generate() {
      throw new Error('not used');
    },
    stream(request: ChatRequest) {
      const batches: AsyncIterable<string[]> = {
        async *[Symbol.asyncIterator]() {
          for (const read of reads) {
            counters.reads++;
            if (read === 'stall') {
              await new Promise((_, reject) => {
                const signal = request.signal;
                if (signal?.aborted) reject(signal.reason);
                signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
              });
            } else yield read;
          }
        },
      };
      const stream = partStream<string>(() => ({
        source: {
          batches,
          map(event, out) {
            if (event === 'DONE') return 'stop';
            if (event === 'bad') throw new ProviderError({ kind: 'invalid_response', message: 'bad chunk' });
            out.push({ type: 'text-delta', id: '0', delta: event });
          },
          finish(out) {
            out.push({
              type: 'finish',
              finishReason: 'stop',
              usage: { promptTokens: 1, completionTokens: 2 },
            });
          },
        },
      }));
      const take = stream.takeReady.bind(stream);
      stream.takeReady = () => {
        const step = take();
        if (step) counters.readyTaken++;
        return step;
      };
      return stream;
    },
    async healthCheck() {
      return true;
    },
  };
}

/** Reads a stream's parts until it fails: the deltas handed out before, and what it failed with. */
async function readUntilFailure(stream: { parts: AsyncIterable<StreamPart> }) {
  const deltas: string[] = [];
  let error: unknown;
  try {
    for await (const part of stream.parts) if (part.type === 'text-delta') deltas.push(part.delta);
  } catch (thrown) {
    error = thrown;
  }
  return { deltas, error };
}

const routerWith = (provider: ProviderV1, options: { idleTimeoutMs?: number } = {}) =>
  new BaseRouter({
    strategy: roundRobin(),
    onWarning: false,
    retry: { maxRetries: 0 },
    ...options,
  }).addProvider(provider);

describe('routeStream over a provider with ready parts', () => {
  it('hands out every part in order, taking the rest of each read without waiting', async () => {
    const counters = { reads: 0, readyTaken: 0 };
    const router = routerWith(
      batchedProvider(
        [
          ['a', 'b', 'c'],
          ['d', 'e', 'DONE'],
        ],
        counters,
      ),
    );
    const stream = router.routeStream('hi');
    const deltas: string[] = [];
    for await (const part of stream.parts) if (part.type === 'text-delta') deltas.push(part.delta);
    expect(deltas).toEqual(['a', 'b', 'c', 'd', 'e']);
    const result = await stream.result;
    expect(result.text).toBe('abcde');
    expect(result.usage.completionTokens).toBe(2);
    expect(counters.readyTaken).toBeGreaterThan(0); // the path under test was taken
  });

  it('textStream skips the other parts and ends with the result', async () => {
    const router = routerWith(
      batchedProvider([
        ['a', 'b'],
        ['c', 'DONE'],
      ]),
    );
    const stream = router.routeStream('hi');
    const text: string[] = [];
    for await (const delta of stream) text.push(delta);
    expect(text).toEqual(['a', 'b', 'c']);
    expect((await stream.result).text).toBe('abc');
  });

  it('stops handing out ready parts once the caller aborts', async () => {
    const controller = new AbortController();
    const router = routerWith(batchedProvider([['a', 'b', 'c', 'd', 'DONE']]));
    const stream = router.routeStream('hi', { signal: controller.signal });
    const iterator = stream.parts[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'text-delta', delta: 'a' });
    controller.abort(new Error('caller gave up'));
    await expect(iterator.next()).rejects.toBeInstanceOf(StreamInterruptedError);
    await expect(stream.result).rejects.toBeInstanceOf(StreamInterruptedError);
    const attempt = (await stream.result.catch((error: StreamInterruptedError) => error)).attempts?.at(-1);
    expect(attempt?.errorKind).toBe('cancelled');
  });

  it('a part that fails to map ends the stream with the text so far', async () => {
    const router = routerWith(batchedProvider([['a', 'b', 'bad', 'c', 'DONE']]));
    const { deltas, error } = await readUntilFailure(router.routeStream('hi'));
    expect(deltas).toEqual(['a', 'b']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).textSoFar).toBe('ab');
    expect((error as StreamInterruptedError).kind).toBe('invalid_response');
  });

  it('a stall after a read of ready parts still ends in the idle timeout', async () => {
    const router = routerWith(batchedProvider([['a', 'b'], 'stall']), { idleTimeoutMs: 50 });
    const { deltas, error } = await readUntilFailure(router.routeStream('hi'));
    expect(deltas).toEqual(['a', 'b']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).kind).toBe('timeout');
  });
});
