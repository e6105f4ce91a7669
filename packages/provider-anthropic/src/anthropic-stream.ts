import {
  type FinishReason,
  ProviderError,
  parseJsonText,
  parseSseStream,
  parseWire,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { type AnthropicStreamEvent, type AnthropicUsage, streamEventSchema } from './anthropic-api.js';
import { anthropicStreamError } from './anthropic-errors.js';
import type { AnthropicModelPricing } from './anthropic-pricing.js';
import { withRateLimits } from './anthropic-rate-limits.js';
import { mergeUsage, toProviderUsage, usageMetadata } from './anthropic-usage.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

export interface AnthropicStreamContext {
  provider: string;
  signal?: AbortSignal;
  requestId?: string;
  /** Prices used for the exact cost in the finish part's `providerMetadata`. */
  pricing?: AnthropicModelPricing;
  /** The response's rate-limit headers, for the finish part's `providerMetadata`. */
  rateLimits?: Record<string, number | string>;
}

type Block = { kind: 'text'; id: string } | { kind: 'tool'; id: string; name: string; json: string };

/**
 * The Messages API's stream events → contract stream parts, one event at a time. Kept apart from the SSE
 * reading so it maps onto a shared stream assembler (text blocks, tool calls by index, the truncation
 * check) without touching the wire handling:
 * - `message_start` gives id, model and the first usage; a repeat with the same id is ignored, another id
 *   mid-stream is a protocol error (pitfall 9);
 * - blocks are keyed by `index`: `text` blocks stream `text_delta`s, `tool_use` blocks collect
 *   `input_json_delta` fragments and parse them at `content_block_stop` (an empty input is `{}`, pitfall 7);
 *   other block and delta types (thinking, citations, server tools) are ignored;
 * - `message_delta` usage is cumulative: it overwrites, never adds (pitfall 8);
 * - `ping` and unknown events are ignored; `error` is thrown (pitfall 5);
 * - an end without `message_stop` is a truncated stream, a retryable network error.
 */
export class AnthropicStreamMapper {
  private messageId: string | undefined;
  private metadataSent = false;
  private readonly blocks = new Map<number, Block>();
  private usage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private stopped = false;

  constructor(private readonly context: AnthropicStreamContext) {}

  /** The parts for one event (in order); throws for `event: error` and protocol errors. */
  map(event: AnthropicStreamEvent): StreamPart[] {
    const { provider } = this.context;
    switch (event.type) {
      case 'message_start': {
        const id = event.message?.id ?? undefined;
        if (this.metadataSent) {
          if (id === this.messageId) return [];
          throw new ProviderError({
            kind: 'invalid_response',
            provider,
            requestId: this.context.requestId,
            message: `${provider}: a second message_start with another message id arrived mid-stream`,
          });
        }
        this.metadataSent = true;
        this.messageId = id;
        this.usage = mergeUsage(undefined, event.message?.usage);
        return [
          {
            type: 'response-metadata',
            id,
            model: event.message?.model ?? undefined,
            requestId: this.context.requestId,
          },
        ];
      }
      case 'content_block_start': {
        const index = event.index ?? this.blocks.size;
        const block = event.content_block;
        if (block?.type === 'text') {
          this.blocks.set(index, { kind: 'text', id: String(index) });
          const parts: StreamPart[] = [{ type: 'text-start', id: String(index) }];
          if (block.text) parts.push({ type: 'text-delta', id: String(index), delta: block.text });
          return parts;
        }
        if (block?.type === 'tool_use') {
          this.blocks.set(index, {
            kind: 'tool',
            id: block.id ?? `toolu_${index}`,
            name: block.name ?? '',
            json: '',
          });
        }
        return [];
      }
      case 'content_block_delta': {
        const block = this.blocks.get(event.index ?? -1);
        const delta = event.delta;
        if (block?.kind === 'text' && delta?.type === 'text_delta' && delta.text)
          return [{ type: 'text-delta', id: block.id, delta: delta.text }];
        if (block?.kind === 'tool' && delta?.type === 'input_json_delta' && delta.partial_json) {
          block.json += delta.partial_json;
          return [
            {
              type: 'tool-call-delta',
              toolCallId: block.id,
              toolName: block.name,
              argumentsDelta: delta.partial_json,
            },
          ];
        }
        return [];
      }
      case 'content_block_stop': {
        const index = event.index ?? -1;
        const block = this.blocks.get(index);
        this.blocks.delete(index);
        if (block?.kind === 'text') return [{ type: 'text-end', id: block.id }];
        if (block?.kind === 'tool')
          return [
            { type: 'tool-call', id: block.id, name: block.name, arguments: this.toolArguments(block) },
          ];
        return [];
      }
      case 'message_delta':
        if (event.delta?.stop_reason) this.stopReason = event.delta.stop_reason;
        this.usage = mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        this.stopped = true;
        return [];
      case 'error':
        throw anthropicStreamError(event, provider, this.context.requestId);
      default:
        // `ping`, and event types added later.
        return [];
    }
  }

  /** The closing parts once the body has ended; throws when it ended before `message_stop`. */
  end(): StreamPart[] {
    const { provider } = this.context;
    if (!this.stopped) {
      throw new ProviderError({
        kind: 'network',
        provider,
        requestId: this.context.requestId,
        message: `${provider}: the stream ended before message_stop`,
      });
    }
    const parts: StreamPart[] = [];
    // A block left open by a server that sent message_stop anyway: close what can be closed.
    for (const block of this.blocks.values()) {
      if (block.kind === 'text') parts.push({ type: 'text-end', id: block.id });
      else
        parts.push({
          type: 'tool-call',
          id: block.id,
          name: block.name,
          arguments: this.toolArguments(block),
        });
    }
    this.blocks.clear();
    const finishReason: FinishReason = mapAnthropicStopReason(this.stopReason);
    parts.push({
      type: 'finish',
      finishReason,
      usage: toProviderUsage(this.usage),
      providerMetadata: withRateLimits(
        usageMetadata(this.usage, this.context.pricing),
        this.context.rateLimits,
      ),
    });
    return parts;
  }

  private toolArguments(block: Extract<Block, { kind: 'tool' }>): string {
    const json = block.json.trim() === '' ? '{}' : block.json;
    try {
      JSON.parse(json);
    } catch (cause) {
      throw new ProviderError({
        kind: 'invalid_response',
        provider: this.context.provider,
        requestId: this.context.requestId,
        cause,
        message: `${this.context.provider}: the arguments of tool call "${block.name}" are not JSON`,
      });
    }
    return json;
  }
}

/** Reads the SSE body and maps each event; every failure becomes a `ProviderError` (abort → `cancelled`). */
export async function* anthropicStreamParts(
  body: ReadableStream<Uint8Array>,
  context: AnthropicStreamContext,
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  const mapper = new AnthropicStreamMapper(context);
  try {
    for await (const sse of parseSseStream(body)) {
      const data = parseJsonText(sse.data, { provider, what: 'a stream event' });
      // The event name and the JSON `type` agree on the wire; an `event: error` wins either way.
      const event = parseWire(
        streamEventSchema,
        sse.event === 'error' ? { ...(data as object), type: 'error' } : data,
        {
          provider,
          what: 'stream event',
        },
      );
      yield* mapper.map(event);
    }
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }
  yield* mapper.end();
}
