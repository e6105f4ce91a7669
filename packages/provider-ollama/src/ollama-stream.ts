import {
  type BodySource,
  type FinishReason,
  type PartSource,
  type ProviderUsage,
  parseNdjsonBatches,
  parseWire,
  partStream,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { chatResponseSchema } from './ollama-api.js';
import { ollamaErrors } from './ollama-errors.js';
import { mapOllamaDoneReason, ollamaMetadata, ollamaToolCalls, ollamaUsage } from './ollama-response.js';

/**
 * `/api/chat` NDJSON → contract stream parts. Text deltas are `message.content` (the `done: true` line's text is
 * appended too); tool calls arrive whole; an `{"error"}` line on the 200 response is thrown; a stream that ends
 * without `done: true` is truncated (a retryable network error), never a success.
 */
interface StreamContext {
  provider: string;
  signal?: AbortSignal;
}

export function ollamaStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: StreamContext,
): PartSource<unknown> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'without a done:true object' });
  let finish:
    | { finishReason: FinishReason; usage?: ProviderUsage; providerMetadata: Record<string, unknown> }
    | undefined;
  return {
    // One await per network read: the lines of a read are mapped in one synchronous loop.
    batches: parseNdjsonBatches(body, {
      provider,
      isEnd: (line) => (line as { done?: unknown }).done === true,
    }),
    map: (raw, out) => {
      const line = parseWire(chatResponseSchema, raw, { provider, what: 'stream line' });
      if (line.error) throw ollamaErrors.inBody(line, { provider });
      out.push(...assembler.text(line.message?.content));
      for (const call of ollamaToolCalls(line, assembler.toolCallCount))
        out.push(...assembler.toolCall(call));
      if (!line.done) return;
      finish = {
        finishReason: mapOllamaDoneReason(line.done_reason, assembler.toolCallCount > 0),
        usage: ollamaUsage(line),
        providerMetadata: ollamaMetadata(line),
      };
      return 'stop';
    },
    finish: (out) => {
      out.push(
        ...assembler.finish({
          finishReason: finish?.finishReason,
          usage: finish?.usage,
          providerMetadata: finish?.providerMetadata,
        }),
      );
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `ollamaStreamSource` as an async iterable of parts (its tests read it so). */
export function ollamaStreamParts(body: BodySource, context: StreamContext): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: ollamaStreamSource(body, context) }));
}
