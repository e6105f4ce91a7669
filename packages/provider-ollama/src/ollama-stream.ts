import {
  type FinishReason,
  ProviderError,
  type ProviderUsage,
  parseNdjsonStream,
  parseWire,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { chatResponseSchema } from './ollama-api.js';
import {
  mapOllamaDoneReason,
  ollamaMetadata,
  ollamaStreamError,
  ollamaToolCalls,
  ollamaUsage,
} from './ollama-response.js';

/**
 * `/api/chat` NDJSON → contract stream parts. Text deltas are `message.content` (the `done: true` line's text is
 * appended too); tool calls arrive whole; an `{"error"}` line on the 200 response is thrown; a stream that ends
 * without `done: true` is truncated (a retryable network error), never a success.
 */
export async function* ollamaStreamParts(
  body: ReadableStream<Uint8Array>,
  context: { provider: string; signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  let textStarted = false;
  let toolCallCount = 0;
  let finish:
    | { finishReason: FinishReason; usage?: ProviderUsage; providerMetadata: Record<string, unknown> }
    | undefined;
  try {
    for await (const raw of parseNdjsonStream(body, { provider })) {
      const line = parseWire(chatResponseSchema, raw, { provider, what: 'stream line' });
      if (line.error) throw ollamaStreamError(line.error, provider);
      const content = line.message?.content;
      if (content) {
        if (!textStarted) {
          textStarted = true;
          yield { type: 'text-start', id: '0' };
        }
        yield { type: 'text-delta', id: '0', delta: content };
      }
      for (const call of ollamaToolCalls(line, toolCallCount)) {
        toolCallCount++;
        yield {
          type: 'tool-call-delta',
          toolCallId: call.id,
          toolName: call.name,
          argumentsDelta: call.arguments,
        };
        yield { type: 'tool-call', ...call };
      }
      if (line.done) {
        finish = {
          finishReason: mapOllamaDoneReason(line.done_reason, toolCallCount > 0),
          usage: ollamaUsage(line),
          providerMetadata: ollamaMetadata(line),
        };
        break;
      }
    }
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }
  if (!finish) {
    throw new ProviderError({
      kind: 'network',
      provider,
      message: `${provider}: the stream ended without a done:true object`,
    });
  }
  if (textStarted) yield { type: 'text-end', id: '0' };
  yield { type: 'finish', ...finish };
}
