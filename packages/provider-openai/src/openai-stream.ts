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
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { chatCompletionChunkSchema } from './openai-api.js';
import { openaiErrors } from './openai-errors.js';
import { toProviderUsage } from './openai-usage.js';

/** `[DONE]`: after it, what is left of the body is drained so the connection is reused. */
const isDone = (event: SseEvent) => event.data === '[DONE]';

interface StreamContext {
  provider: string;
  signal?: AbortSignal;
  requestId?: string;
}

/**
 * Chat Completions SSE → contract stream parts (for `partStream`). Handles: comment keep-alives (ignored by
 * the SSE parser), `[DONE]`, the usage chunk with empty `choices`, tool-call fragments accumulated by `index`,
 * errors inside the 200 stream (`data.error` or `event: error`), and servers that omit `[DONE]` (a clean end
 * after a `finish_reason` is complete; an end without either is a truncated stream, a retryable network error).
 */
export function openAIStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: StreamContext,
): PartSource<SseEvent> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before its finish_reason or [DONE]' });
  let finishReason: FinishReason | undefined;
  let usage: ProviderUsage | undefined;
  let metadataSent = false;

  const map = (event: SseEvent, out: StreamPart[]) => {
    if (event.data === '[DONE]') return 'stop';
    const data = parseJsonText(event.data, { provider, what: 'a stream event' });
    if (
      event.event === 'error' ||
      (data !== null && typeof data === 'object' && 'error' in data && (data as { error: unknown }).error)
    ) {
      throw openaiErrors.inBody(data, { provider });
    }
    const chunk = parseWire(chatCompletionChunkSchema, data, { provider, what: 'stream chunk' });
    if (!metadataSent) {
      metadataSent = true;
      out.push({
        type: 'response-metadata',
        id: chunk.id ?? undefined,
        model: chunk.model ?? undefined,
        requestId: context.requestId,
      });
    }
    if (chunk.usage) usage = toProviderUsage(chunk.usage);
    // The usage chunk has `choices: []`; never index into it blindly.
    const choice = chunk.choices?.[0];
    if (!choice) return;
    const delta = choice.delta;
    out.push(...assembler.text(delta?.content));
    for (const fragment of delta?.tool_calls ?? []) {
      out.push(
        ...assembler.toolCallFragment({
          index: fragment.index,
          id: fragment.id,
          name: fragment.function?.name,
          argumentsDelta: fragment.function?.arguments,
        }),
      );
    }
    if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
  };

  return {
    batches: parseSseBatches(body, { isEnd: isDone }),
    map,
    finish: (out, stopped) => {
      out.push(...assembler.finish({ finishReason, complete: stopped, usage }));
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `openAIStreamSource` as an async iterable of parts (its tests read it so). */
export function openAIStreamParts(body: BodySource, context: StreamContext): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: openAIStreamSource(body, context) }));
}
