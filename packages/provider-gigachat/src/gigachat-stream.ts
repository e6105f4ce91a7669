import {
  type BodySource,
  type FinishReason,
  type PartSource,
  type ProviderUsage,
  parseJsonText,
  parseSseBatches,
  parseWire,
  partStream,
  type SseEvent,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { chunkSchema } from './gigachat-api.js';
import { gigachatErrors } from './gigachat-errors.js';
import { gigachatToolCall, gigachatUsage, mapGigaChatFinishReason } from './gigachat-response.js';

/**
 * GigaChat SSE → contract stream parts: `data:` deltas (the first carries the role with text), usage on the
 * last JSON chunk, `[DONE]`; a function call arrives whole with object arguments. An event with
 * `status`/`message` and no choices is an error inside the 200 stream (GigaChat's API error shape).
 */
/** `[DONE]`: after it, what is left of the body is drained so the connection is reused. */
const isDone = (event: SseEvent) => event.data === '[DONE]';

interface StreamContext {
  provider: string;
  signal?: AbortSignal;
}

export function gigachatStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: StreamContext,
): PartSource<SseEvent> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before its finish_reason or [DONE]' });
  let finishReason: FinishReason | undefined;
  let usage: ProviderUsage | undefined;
  let metadata: Record<string, unknown> | undefined;
  const map = (event: SseEvent, out: StreamPart[]) => {
    if (event.data === '[DONE]') return 'stop';
    const data = parseJsonText(event.data, { provider, what: 'a stream event' });
    const chunk = parseWire(chunkSchema, data, { provider, what: 'stream chunk' });
    if (!chunk.choices && (chunk.status != null || chunk.message != null)) {
      throw gigachatErrors.inBody(data, { provider });
    }
    if (chunk.usage) {
      usage = gigachatUsage(chunk.usage);
      metadata = {
        gigachat: {
          precachedPromptTokens: chunk.usage.precached_prompt_tokens ?? undefined,
          model: chunk.model ?? undefined,
        },
      };
    }
    const choice = chunk.choices?.[0];
    if (!choice) return;
    out.push(...assembler.text(choice.delta?.content));
    const call = gigachatToolCall(choice.delta);
    if (call) out.push(...assembler.toolCall(call));
    if (choice.finish_reason) finishReason = mapGigaChatFinishReason(choice.finish_reason);
  };
  return {
    batches: parseSseBatches(body, { isEnd: isDone }),
    map,
    finish: (out, stopped) => {
      out.push(...assembler.finish({ finishReason, complete: stopped, usage, providerMetadata: metadata }));
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `gigachatStreamSource` as an async iterable of parts (its tests read it so). */
export function gigachatStreamParts(body: BodySource, context: StreamContext): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: gigachatStreamSource(body, context) }));
}
