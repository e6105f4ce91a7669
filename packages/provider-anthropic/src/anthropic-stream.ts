import {
  type BodySource,
  type CallWarning,
  type PartSource,
  type PartStreamInit,
  ProviderError,
  parseJsonText,
  parseSseBatches,
  parseWire,
  partStream,
  type SseEvent,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { type AnthropicStreamEvent, type AnthropicUsage, streamEventSchema } from './anthropic-api.js';
import { anthropicErrors } from './anthropic-errors.js';
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

/**
 * The Messages API's stream events → contract stream parts, one event at a time, on the shared
 * `StreamAssembler` (text blocks, tool calls by index, the truncation check); this class only knows the wire:
 * - `message_start` gives id, model and the first usage; a repeat with the same id is ignored, another id
 *   mid-stream is a protocol error (pitfall 9);
 * - blocks are keyed by `index`: `text` blocks stream `text_delta`s, `tool_use` blocks collect
 *   `input_json_delta` fragments (an empty input is `{}`, pitfall 7; input that is not JSON fails the
 *   stream); other block and delta types (thinking, citations, server tools) are ignored;
 * - `message_delta` usage is cumulative: it overwrites, never adds (pitfall 8);
 * - `ping` and unknown events are ignored; `error` is thrown (pitfall 5);
 * - an end without `message_stop` is a truncated stream, a retryable network error.
 */
export class AnthropicStreamMapper {
  private messageId: string | undefined;
  private metadataSent = false;
  /** What each open block index is: text, or the tool call with that id. */
  private readonly blocks = new Map<number, { kind: 'text' } | { kind: 'tool'; id: string }>();
  private readonly assembler: StreamAssembler;
  private usage: AnthropicUsage | undefined;
  private stopReason: string | null | undefined;
  private stopped = false;

  constructor(private readonly context: AnthropicStreamContext) {
    this.assembler = new StreamAssembler({
      provider: context.provider,
      endedEarly: 'before message_stop',
      invalidToolArguments: 'error',
      requestId: context.requestId,
    });
  }

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
          this.blocks.set(index, { kind: 'text' });
          return this.assembler.text(block.text);
        }
        if (block?.type === 'tool_use') {
          const id = block.id ?? `toolu_${index}`;
          this.blocks.set(index, { kind: 'tool', id });
          return this.assembler.toolCallFragment({ index, id, name: block.name ?? '' });
        }
        return [];
      }
      case 'content_block_delta': {
        const index = event.index ?? -1;
        const block = this.blocks.get(index);
        const delta = event.delta;
        if (block?.kind === 'text' && delta?.type === 'text_delta') return this.assembler.text(delta.text);
        if (block?.kind === 'tool' && delta?.type === 'input_json_delta')
          return this.assembler.toolCallFragment({ index, id: block.id, argumentsDelta: delta.partial_json });
        return [];
      }
      case 'content_block_stop': {
        const block = this.blocks.get(event.index ?? -1);
        this.blocks.delete(event.index ?? -1);
        return block?.kind === 'text' ? this.assembler.endText() : [];
      }
      case 'message_delta':
        if (event.delta?.stop_reason) this.stopReason = event.delta.stop_reason;
        this.usage = mergeUsage(this.usage, event.usage);
        return [];
      case 'message_stop':
        this.stopped = true;
        return [];
      case 'error':
        throw anthropicErrors.inBody(event, { provider, requestId: this.context.requestId });
      default:
        // `ping`, and event types added later.
        return [];
    }
  }

  /**
   * The closing parts once the body has ended: the assembled tool calls and the finish. Only `message_stop`
   * completes a stream; a `stop_reason` without it is still a truncated one.
   */
  end(): StreamPart[] {
    return this.assembler.finish({
      finishReason: this.stopped ? mapAnthropicStopReason(this.stopReason) : undefined,
      complete: this.stopped,
      usage: toProviderUsage(this.usage),
      providerMetadata: withRateLimits(
        usageMetadata(this.usage, this.context.pricing),
        this.context.rateLimits,
      ),
    });
  }
}

/** Reads the SSE body and maps each event; every failure becomes a `ProviderError` (abort → `cancelled`). */
/** `message_stop`: after it, what is left of the body is drained so the connection is reused. */
const isMessageStop = (event: SseEvent) => event.event === 'message_stop';

export function anthropicStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: AnthropicStreamContext,
): PartSource<SseEvent> {
  const { provider } = context;
  const mapper = new AnthropicStreamMapper(context);
  return {
    // One await per network read; the parts of the events before a failing one come out first.
    batches: parseSseBatches(body, { isEnd: isMessageStop }),
    map: (sse, out) => {
      const data = parseJsonText(sse.data, { provider, what: 'a stream event' });
      // The event name and the JSON `type` agree on the wire; an `event: error` wins either way.
      const event = parseWire(
        streamEventSchema,
        sse.event === 'error' ? { ...(data as object), type: 'error' } : data,
        { provider, what: 'stream event' },
      );
      out.push(...mapper.map(event));
    },
    finish: (out) => {
      out.push(...mapper.end());
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `anthropicStreamSource` as an async iterable of parts (its tests read it so). */
export function anthropicStreamParts(
  body: BodySource,
  context: AnthropicStreamContext,
): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: anthropicStreamSource(body, context) }));
}

/** What `partStream` opens for a streamed Messages API response: `stream-start` with the warnings first. */
export function anthropicStreamInit(
  response: Response,
  warnings: CallWarning[],
  context: AnthropicStreamContext,
): PartStreamInit<SseEvent> {
  return {
    response,
    head: [{ type: 'stream-start', warnings }],
    source: anthropicStreamSource(response, context),
  };
}

/** A streamed Messages API response as the contract's stream: `stream-start` with the warnings first. */
export function anthropicResponseStream(
  response: Response,
  warnings: CallWarning[],
  context: AnthropicStreamContext,
): AsyncIterable<StreamPart> {
  return partStream(() => anthropicStreamInit(response, warnings, context));
}
