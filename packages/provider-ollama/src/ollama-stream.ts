import {
  type BodySource,
  type FinishReason,
  mapEventBatches,
  type ProviderUsage,
  parseNdjsonBatches,
  parseWire,
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
export async function* ollamaStreamParts(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: { provider: string; signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'without a done:true object' });
  let finish:
    | { finishReason: FinishReason; usage?: ProviderUsage; providerMetadata: Record<string, unknown> }
    | undefined;
  try {
    // One await per network read: the lines of a read are mapped in one synchronous loop.
    const lines = parseNdjsonBatches(body, {
      provider,
      isEnd: (line) => (line as { done?: unknown }).done === true,
    });
    yield* mapEventBatches(lines, (raw, out) => {
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
    });
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }
  yield* assembler.finish({
    finishReason: finish?.finishReason,
    usage: finish?.usage,
    providerMetadata: finish?.providerMetadata,
  });
}
