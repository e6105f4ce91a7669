import {
  type BodySource,
  type FinishReason,
  mapEventBatches,
  type ProviderUsage,
  parseJsonText,
  parseSseBatches,
  parseWire,
  type SseEvent,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { chatCompletionChunkSchema } from './openai-api.js';
import { openaiErrors } from './openai-errors.js';
import { toProviderUsage } from './openai-usage.js';

/**
 * Chat Completions SSE → contract stream parts. Handles: comment keep-alives (ignored by the SSE parser),
 * `[DONE]`, the usage chunk with empty `choices`, tool-call fragments accumulated by `index`, errors inside the
 * 200 stream (`data.error` or `event: error`), and servers that omit `[DONE]` (a clean end after a
 * `finish_reason` is complete; an end without either is a truncated stream, a retryable network error).
 */
/** `[DONE]`: after it, what is left of the body is drained so the connection is reused. */
const isDone = (event: SseEvent) => event.data === '[DONE]';

export async function* openAIStreamParts(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: { provider: string; signal?: AbortSignal; requestId?: string },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before its finish_reason or [DONE]' });
  let finishReason: FinishReason | undefined;
  let usage: ProviderUsage | undefined;
  let done = false;
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

  try {
    // One await per network read; the parts of the events before a failing one come out first.
    done = yield* mapEventBatches(parseSseBatches(body, { isEnd: isDone }), map);
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }

  for (const part of assembler.finish({ finishReason, complete: done, usage })) yield part;
}
