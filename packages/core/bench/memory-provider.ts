import type { ProviderV1, StreamPart } from '../src/index.js';

/** Answers at once, in memory: what is left to measure is the router's own work. Shared by the benchmarks. */
export const memoryProvider: ProviderV1 = {
  specificationVersion: 'v1',
  name: 'memory',
  model: 'memory-1',
  providerType: 'memory',
  pricing: { inputPer1K: 0.001, outputPer1K: 0.002, currency: 'USD' },
  async generate() {
    return {
      text: 'four words of text',
      finishReason: 'stop',
      usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 },
    };
  },
  async *stream(): AsyncGenerator<StreamPart> {
    yield { type: 'stream-start', warnings: [] };
    yield { type: 'text-start', id: '0' };
    for (const delta of ['four ', 'words ', 'of ', 'text']) yield { type: 'text-delta', id: '0', delta };
    yield { type: 'text-end', id: '0' };
    yield {
      type: 'finish',
      finishReason: 'stop',
      usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 },
    };
  },
  async healthCheck() {
    return true;
  },
};

/**
 * The same answer with 100 text parts, as an HTTP provider's stream is built (`partStream`) when one network
 * read carries them all: the parts after the first are ready without a read (`takeReady`), which the router
 * takes without a race per part. For the router's cost per streamed part.
 */
export function batchedMemoryProvider(
  partStream: typeof import('../src/provider.js').partStream,
): ProviderV1 {
  const events = Array.from({ length: 100 }, (_, i) => `w${i} `);
  return {
    ...memoryProvider,
    name: 'memory-batched',
    stream() {
      return partStream<string>(() => ({
        head: [{ type: 'stream-start', warnings: [] }],
        source: {
          batches: (async function* () {
            yield events;
          })(),
          map(event, out) {
            out.push({ type: 'text-delta', id: '0', delta: event });
          },
          finish(out) {
            out.push({
              type: 'finish',
              finishReason: 'stop',
              usage: { promptTokens: 3, completionTokens: 100, totalTokens: 103 },
            });
          },
        },
      }));
    },
  };
}
