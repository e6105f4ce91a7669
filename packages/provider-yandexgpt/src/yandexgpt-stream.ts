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
import { completionEnvelopeSchema, unwrapResult, type YandexEnvelope } from './yandexgpt-api.js';
import { yandexErrors } from './yandexgpt-errors.js';
import { FINAL_STATUSES, mapYandexStatus, yandexToolCalls, yandexUsage } from './yandexgpt-response.js';

/**
 * The native stream (newline-separated `{"result": …}` objects) → contract parts. Each object repeats the
 * whole text so far, so deltas come from a prefix check. The docs warn earlier text may change: when the
 * new text does not extend what was sent, it goes out at once as a `text-revision` (the block's whole text
 * now), so a consumer never shows stale text and the final result is the provider's final text; the finish
 * part counts them (`providerMetadata.yandexgpt.rewrites`). The stream ends at a final status; an end
 * without one is a truncated stream.
 */
/** A line with a final status ends the answer: what follows it is drained, so the connection is reused. */
function isFinalLine(raw: unknown): boolean {
  const line = raw as { result?: YandexEnvelope; alternatives?: unknown } | null;
  const alternatives = (line?.result ?? line)?.alternatives;
  const status = Array.isArray(alternatives) ? alternatives[0]?.status : undefined;
  return typeof status === 'string' && FINAL_STATUSES.has(status);
}

interface StreamContext {
  provider: string;
  signal?: AbortSignal;
}

export function yandexStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: StreamContext,
): PartSource<unknown> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before a final status' });
  let finish: { finishReason: FinishReason; usage?: ProviderUsage } | undefined;
  let modelVersion: string | undefined;
  return {
    // One await per network read: the lines of a read are mapped in one synchronous loop.
    batches: parseNdjsonBatches(body, { provider, isEnd: isFinalLine }),
    map: (raw, out) => {
      const envelope = parseWire(completionEnvelopeSchema, raw, { provider, what: 'stream line' });
      if (envelope.error) throw yandexErrors.inBody(envelope, { provider });
      const result = unwrapResult(envelope);
      const alternative = result?.alternatives[0];
      if (!result || !alternative) return;
      modelVersion = result.modelVersion ?? modelVersion;
      out.push(...assembler.textSnapshot(alternative.message.text ?? ''));
      if (!alternative.status || !FINAL_STATUSES.has(alternative.status)) return;
      for (const call of yandexToolCalls(result)) out.push(...assembler.toolCall(call));
      finish = { finishReason: mapYandexStatus(alternative.status), usage: yandexUsage(result) };
      return 'stop';
    },
    finish: (out) => {
      out.push(
        ...assembler.finish({
          finishReason: finish?.finishReason,
          usage: finish?.usage,
          providerMetadata: { yandexgpt: { modelVersion, rewrites: assembler.revisions } },
        }),
      );
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `yandexStreamSource` as an async iterable of parts (its tests read it so). */
export function yandexStreamParts(body: BodySource, context: StreamContext): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: yandexStreamSource(body, context) }));
}
