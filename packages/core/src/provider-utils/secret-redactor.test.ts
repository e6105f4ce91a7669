import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { readyPartsOf, type StreamPart } from '../spec/stream-part.js';
import { PartStream, partStream } from './part-stream.js';
import { redactProvider, SecretRedactor } from './secret-redactor.js';

const KEY = 'sk-live-0123456789abcdef';

/** A provider that only streams, with `stream` as its stream (its other calls are never made here). */
const streamOnly = (name: string, stream: () => AsyncIterable<StreamPart>): ProviderV1 => ({
  specificationVersion: 'v1',
  name,
  model: 'm',
  providerType: 'test',
  async generate() {
    throw new Error('unused');
  },
  stream,
  async healthCheck() {
    return true;
  },
});

function everyView(error: unknown): string {
  return [String((error as Error).message), JSON.stringify(error), inspect(error, { depth: 20 })].join('\n');
}

describe('SecretRedactor', () => {
  it('learns credential headers, including the token after an auth scheme', () => {
    const redactor = new SecretRedactor();
    redactor.rememberHeaders({
      authorization: `Bearer ${KEY}`,
      'x-goog-api-key': 'AIzaSyExample',
      accept: 'json',
    });
    expect(redactor.text(`echo ${KEY} and AIzaSyExample, accept json`)).toBe(
      'echo [redacted] and [redacted], accept json',
    );
  });

  it('cleans an llmo error in place: message, stack, code and a foreign cause chain', () => {
    const redactor = new SecretRedactor();
    redactor.remember(KEY);
    const transport = Object.assign(new Error(`socket said ${KEY}`), { code: 'ECONNRESET' });
    const error = new ProviderError({
      kind: 'network',
      provider: 'p',
      message: `p: failed with ${KEY}`,
      cause: new TypeError('fetch failed', { cause: transport }),
    });
    const cleaned = redactor.error(error);
    expect(cleaned).toBe(error);
    expect(ProviderError.isInstance(cleaned)).toBe(true);
    expect(everyView(cleaned)).not.toContain(KEY);
    expect(inspect(cleaned, { depth: 20 })).toContain('socket said [redacted]');
    // The foreign errors were copied, not changed.
    expect(transport.message).toContain(KEY);
    expect(((cleaned.cause as Error).cause as Error & { code: string }).code).toBe('ECONNRESET');
  });

  it('leaves an error without credentials untouched, and short values alone', () => {
    const redactor = new SecretRedactor();
    redactor.remember('abc', undefined, '');
    const cause = new Error('plain');
    const error = new Error('nothing secret', { cause });
    expect(redactor.error(error)).toBe(error);
    expect(redactor.text('abc')).toBe('abc');
  });

  it('removes a credential from a non-error cause (a parsed body)', () => {
    const redactor = new SecretRedactor();
    redactor.remember(KEY);
    const error = new ProviderError({ kind: 'auth', message: 'p: 401', cause: { body: { key: KEY } } });
    expect(everyView(redactor.error(error))).not.toContain(KEY);
  });
});

describe('redactProvider', () => {
  const echoing = (redactor: SecretRedactor): ProviderV1 => ({
    specificationVersion: 'v1',
    name: 'echo',
    model: 'm',
    providerType: 'test',
    async generate() {
      redactor.remember(KEY);
      throw new ProviderError({ kind: 'server', message: `upstream said ${KEY}` });
    },
    async *stream(): AsyncGenerator<StreamPart> {
      redactor.remember(KEY);
      yield { type: 'stream-start', warnings: [] };
      throw new ProviderError({ kind: 'server', message: `in-stream error for ${KEY}` });
    },
    async healthCheck() {
      throw new Error(`health ${KEY}`);
    },
    async listModels() {
      throw new Error(`models ${KEY}`);
    },
  });

  it('redacts what generate, stream, healthCheck and listModels throw', async () => {
    const redactor = new SecretRedactor();
    const provider = redactProvider(echoing(redactor), redactor);
    const caught: unknown[] = [];
    await provider.generate({ messages: [] }).catch((e) => caught.push(e));
    const parts: StreamPart[] = [];
    try {
      for await (const part of provider.stream({ messages: [] })) parts.push(part);
    } catch (e) {
      caught.push(e);
    }
    await provider.healthCheck().catch((e) => caught.push(e));
    await provider.listModels?.().catch((e) => caught.push(e));
    expect(parts.map((p) => p.type)).toEqual(['stream-start']);
    expect(caught).toHaveLength(4);
    for (const error of caught) expect(everyView(error)).not.toContain(KEY);
    expect(provider.name).toBe('echo');
  });

  it('passes ready parts through, and redacts what taking one throws', async () => {
    const redactor = new SecretRedactor();
    redactor.remember(KEY);
    const { iterator: batches } = (() => {
      const reads = [['a', 'b', 'leak']];
      let i = 0;
      return {
        iterator: {
          [Symbol.asyncIterator]() {
            return this;
          },
          async next() {
            return i < reads.length
              ? { done: false as const, value: reads[i++] as string[] }
              : { done: true as const, value: undefined };
          },
        } satisfies AsyncIterableIterator<string[]>,
      };
    })();
    const inner = streamOnly('ready', () =>
      partStream<string>(() => ({
        source: {
          batches,
          map(event, out) {
            if (event === 'leak') throw new ProviderError({ kind: 'server', message: `bad chunk ${KEY}` });
            out.push({ type: 'text-delta', id: '0', delta: event });
          },
          finish() {},
        },
      })),
    );
    const iterator = redactProvider(inner, redactor).stream({ messages: [] })[Symbol.asyncIterator]();
    const take = readyPartsOf(iterator);
    expect(take).toBeTypeOf('function');
    expect((await iterator.next()).value).toMatchObject({ delta: 'a' });
    expect(take?.()).toEqual({ done: false, value: { type: 'text-delta', id: '0', delta: 'b' } });
    let thrown: unknown;
    try {
      take?.();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(everyView(thrown)).not.toContain(KEY);
  });

  it('redacts what a partStream throws when it opens, with no wrapper around it', async () => {
    const redactor = new SecretRedactor();
    const inner = streamOnly('opens-badly', () =>
      partStream<string>(async () => {
        redactor.remember(KEY);
        throw new ProviderError({ kind: 'auth', message: `401 for key ${KEY}` });
      }),
    );
    const iterator = redactProvider(inner, redactor).stream({ messages: [] })[Symbol.asyncIterator]();
    expect(iterator).toBeInstanceOf(PartStream); // the stream itself: no promise per part added
    const error = await iterator.next().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ProviderError);
    expect(everyView(error)).not.toContain(KEY);
  });

  it("redacts what a partStream source's mapError throws (a buggy map echoing the failure)", async () => {
    const redactor = new SecretRedactor();
    redactor.remember(KEY);
    const inner = streamOnly('bad-map', () =>
      partStream<string>(() => ({
        source: {
          batches: (async function* () {
            yield ['a'];
            throw new Error(`upstream said: ${KEY}`);
          })(),
          map(event, out) {
            out.push({ type: 'text-delta', id: '0', delta: event });
          },
          finish() {},
          mapError(error) {
            throw new TypeError(`cannot map error: ${(error as Error).message}`);
          },
        },
      })),
    );
    const iterator = redactProvider(inner, redactor).stream({ messages: [] })[Symbol.asyncIterator]();
    await iterator.next();
    const error = await iterator.next().catch((thrown: unknown) => thrown);
    expect(String((error as Error).message)).toContain('cannot map error');
    expect(everyView(error)).not.toContain(KEY);
  });
});
