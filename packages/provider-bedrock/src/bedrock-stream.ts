import {
  type BodySource,
  type PartSource,
  parseJsonText,
  parseWire,
  partStream,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { type BedrockStreamEvent, type BedrockUsage, streamEventSchema } from './bedrock-api.js';
import { bedrockErrors } from './bedrock-errors.js';
import { type EventStreamMessage, readEventStreamBatches } from './bedrock-eventstream.js';
import { usageMetadata } from './bedrock-pricing.js';
import { toProviderUsage } from './bedrock-usage.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';

export interface BedrockStreamContext {
  provider: string;
  signal?: AbortSignal;
  /** `x-amzn-RequestId` of the response. */
  requestId?: string;
}

const decoder = new TextDecoder();

/**
 * ConverseStream events → contract stream parts, on the shared `StreamAssembler`:
 * - text blocks get no `contentBlockStart` (pitfall 7): the first delta of an index opens it;
 * - tool blocks start with `contentBlockStart.start.toolUse` and stream `delta.toolUse.input` string fragments,
 *   parsed as JSON at the end (`""` → `{}`; pitfall 8);
 * - `messageStop` gives the stop reason, but `metadata` (usage) comes after it (pitfall 7): the stream is read
 *   to its end, and is complete once `messageStop` was seen;
 * - reasoning, citations and unknown events are ignored; exception frames are thrown (pitfall 9).
 */
export class BedrockStreamMapper {
  private readonly assembler: StreamAssembler;
  private readonly tools = new Map<number, string>();
  private stopReason: string | undefined;
  private stopped = false;
  private usage: BedrockUsage | undefined;
  private latencyMs: number | undefined;
  private started = false;

  constructor(private readonly context: BedrockStreamContext) {
    this.assembler = new StreamAssembler({
      provider: context.provider,
      endedEarly: 'before messageStop',
      invalidToolArguments: 'error',
      requestId: context.requestId,
    });
  }

  /** The parts for one decoded message; throws for exception and error messages. */
  message(message: EventStreamMessage): StreamPart[] {
    const { provider, requestId } = this.context;
    const type = message.headers[':message-type'];
    if (type === 'exception' || type === 'error') {
      const payload = decoder.decode(message.payload);
      let body: Record<string, unknown> = {};
      try {
        const parsed = JSON.parse(payload) as unknown;
        if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
      } catch {
        if (payload.trim()) body = { message: payload.slice(0, 300) };
      }
      const code = type === 'exception' ? message.headers[':exception-type'] : message.headers[':error-code'];
      const text = type === 'error' ? message.headers[':error-message'] : undefined;
      throw bedrockErrors.inBody(
        {
          ...body,
          __type: typeof code === 'string' ? code : undefined,
          message: body.message ?? body.Message ?? (typeof text === 'string' ? text : undefined),
        },
        { provider, requestId },
      );
    }
    if (type !== undefined && type !== 'event') return [];
    const eventType = message.headers[':event-type'];
    if (typeof eventType !== 'string') return [];
    const data = parseJsonText(decoder.decode(message.payload), { provider, what: `a ${eventType} event` });
    return this.map(eventType, parseWire(streamEventSchema, data, { provider, what: `${eventType} event` }));
  }

  map(eventType: string, event: BedrockStreamEvent): StreamPart[] {
    const index = event.contentBlockIndex ?? 0;
    switch (eventType) {
      case 'messageStart': {
        if (this.started) return [];
        this.started = true;
        return [{ type: 'response-metadata', requestId: this.context.requestId }];
      }
      case 'contentBlockStart': {
        const toolUse = event.start?.toolUse;
        if (!toolUse) return [];
        const id = toolUse.toolUseId ?? `tooluse_${index}`;
        this.tools.set(index, id);
        return this.assembler.toolCallFragment({ index, id, name: toolUse.name ?? '' });
      }
      case 'contentBlockDelta': {
        const delta = event.delta;
        if (!delta) return [];
        if (typeof delta.text === 'string') return this.assembler.text(delta.text);
        const id = this.tools.get(index);
        if (delta.toolUse && id !== undefined)
          return this.assembler.toolCallFragment({ index, id, argumentsDelta: delta.toolUse.input ?? '' });
        return [];
      }
      case 'contentBlockStop':
        return this.tools.has(index) ? [] : this.assembler.endText();
      case 'messageStop':
        this.stopped = true;
        this.stopReason = event.stopReason ?? undefined;
        return [];
      case 'metadata':
        if (event.usage) this.usage = event.usage;
        if (event.metrics?.latencyMs != null) this.latencyMs = event.metrics.latencyMs;
        return [];
      default:
        return [];
    }
  }

  /** The closing parts once the body ended: tool calls and the finish; a stream without `messageStop` is cut. */
  end(): StreamPart[] {
    return this.assembler.finish({
      finishReason: this.stopped ? mapBedrockStopReason(this.stopReason) : undefined,
      complete: this.stopped,
      usage: toProviderUsage(this.usage),
      providerMetadata: usageMetadata(this.usage, {
        stopReason: this.stopReason,
        latencyMs: this.latencyMs,
      }),
    });
  }
}

/** Reads the binary event stream and maps each message (for `partStream`); every failure becomes a `ProviderError`. */
export function bedrockStreamSource(
  body: BodySource,
  context: BedrockStreamContext,
): PartSource<EventStreamMessage> {
  const mapper = new BedrockStreamMapper(context);
  return {
    batches: readEventStreamBatches(body, { provider: context.provider, requestId: context.requestId }),
    map: (message, out) => {
      out.push(...mapper.message(message));
    },
    finish: (out) => {
      out.push(...mapper.end());
    },
    mapError: (error) => toProviderError(error, { provider: context.provider, signal: context.signal }),
  };
}

/** `bedrockStreamSource` as an async iterable of parts (its tests read it so). */
export function bedrockStreamParts(
  body: BodySource,
  context: BedrockStreamContext,
): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: bedrockStreamSource(body, context) }));
}
