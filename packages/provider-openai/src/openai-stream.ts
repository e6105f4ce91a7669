import {
  type FinishReason,
  ProviderError,
  type ProviderUsage,
  parseJsonText,
  parseSseStream,
  parseWire,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { chatCompletionChunkSchema } from './openai-api.js';
import { streamError } from './openai-errors.js';
import { toProviderUsage } from './openai-usage.js';

interface ToolCallAccumulator {
  id: string;
  name: string;
  arguments: string;
}

/**
 * Chat Completions SSE → contract stream parts. Handles: comment keep-alives (ignored by the SSE parser),
 * `[DONE]`, the usage chunk with empty `choices`, tool-call fragments accumulated by `index`, errors inside the
 * 200 stream (`data.error` or `event: error`), and servers that omit `[DONE]` (a clean end after a
 * `finish_reason` is complete; an end without either is a truncated stream, a retryable network error).
 */
export async function* openAIStreamParts(
  body: ReadableStream<Uint8Array>,
  context: { provider: string; signal?: AbortSignal; requestId?: string },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  const toolCalls = new Map<number, ToolCallAccumulator>();
  /** The index of the call the last fragment went to: a fragment without `index` continues it or not. */
  let lastIndex: number | undefined;
  /** The open text block's id, if one is open; a tool call closes it (the part contract's order). */
  let textOpen: string | undefined;
  let textBlocks = 0;
  let finishReason: FinishReason | undefined;
  let usage: ProviderUsage | undefined;
  let done = false;
  let metadataSent = false;

  try {
    for await (const event of parseSseStream(body)) {
      if (event.data === '[DONE]') {
        done = true;
        break;
      }
      const data = parseJsonText(event.data, { provider, what: 'a stream event' });
      if (
        event.event === 'error' ||
        (data !== null && typeof data === 'object' && 'error' in data && (data as { error: unknown }).error)
      ) {
        throw streamError(data, provider);
      }
      const chunk = parseWire(chatCompletionChunkSchema, data, { provider, what: 'stream chunk' });
      if (!metadataSent) {
        metadataSent = true;
        yield {
          type: 'response-metadata',
          id: chunk.id ?? undefined,
          model: chunk.model ?? undefined,
          requestId: context.requestId,
        };
      }
      if (chunk.usage) usage = toProviderUsage(chunk.usage);
      // The usage chunk has `choices: []`; never index into it blindly.
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      const delta = choice.delta;
      if (delta?.content) {
        if (textOpen === undefined) {
          textOpen = String(textBlocks++);
          yield { type: 'text-start', id: textOpen };
        }
        yield { type: 'text-delta', id: textOpen, delta: delta.content };
      }
      for (const fragment of delta?.tool_calls ?? []) {
        if (textOpen !== undefined) {
          yield { type: 'text-end', id: textOpen };
          textOpen = undefined;
        }
        const index = fragment.index ?? indexWithout(fragment, toolCalls, lastIndex);
        lastIndex = index;
        let call = toolCalls.get(index);
        if (!call) {
          call = { id: fragment.id ?? `call_${index}`, name: fragment.function?.name ?? '', arguments: '' };
          toolCalls.set(index, call);
        }
        if (fragment.function?.name && !call.name) call.name = fragment.function.name;
        const argumentsDelta = fragment.function?.arguments ?? '';
        call.arguments += argumentsDelta;
        if (argumentsDelta)
          yield { type: 'tool-call-delta', toolCallId: call.id, toolName: call.name, argumentsDelta };
      }
      if (choice.finish_reason) finishReason = mapOpenAIFinishReason(choice.finish_reason);
    }
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }

  if (!done && finishReason === undefined) {
    throw new ProviderError({
      kind: 'network',
      provider,
      message: `${provider}: the stream ended before its finish_reason or [DONE]`,
    });
  }
  if (textOpen !== undefined) yield { type: 'text-end', id: textOpen };
  for (const call of toolCalls.values())
    yield { type: 'tool-call', id: call.id, name: call.name, arguments: call.arguments };
  yield { type: 'finish', finishReason: finishReason ?? 'unknown', usage };
}

/**
 * Where a tool-call fragment without `index` (several OpenAI-compatible servers omit it) belongs: the call
 * the previous fragment went to, unless it starts another one (a new `id`, or a name when that call has one
 * already), which takes the next free index. Without this, two calls would merge into one.
 */
function indexWithout(
  fragment: { id?: string | null; function?: { name?: string | null } | null },
  calls: ReadonlyMap<number, ToolCallAccumulator>,
  lastIndex: number | undefined,
): number {
  const last = lastIndex === undefined ? undefined : calls.get(lastIndex);
  const startsAnother =
    !last ||
    (fragment.id != null && fragment.id !== last.id) ||
    (fragment.id == null && Boolean(fragment.function?.name) && last.name !== '');
  if (!startsAnother) return lastIndex!;
  let next = 0;
  for (const key of calls.keys()) next = Math.max(next, key + 1);
  return next;
}
