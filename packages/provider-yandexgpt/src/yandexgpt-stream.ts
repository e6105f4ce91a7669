import {
  type BodySource,
  type FinishReason,
  type ProviderUsage,
  parseNdjsonStream,
  parseWire,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { completionEnvelopeSchema, unwrapResult } from './yandexgpt-api.js';
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
export async function* yandexStreamParts(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: { provider: string; signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before a final status' });
  let finish: { finishReason: FinishReason; usage?: ProviderUsage } | undefined;
  let modelVersion: string | undefined;
  try {
    for await (const raw of parseNdjsonStream(body, { provider })) {
      const envelope = parseWire(completionEnvelopeSchema, raw, { provider, what: 'stream line' });
      if (envelope.error) throw yandexErrors.inBody(envelope, { provider });
      const result = unwrapResult(envelope);
      const alternative = result?.alternatives[0];
      if (!result || !alternative) continue;
      modelVersion = result.modelVersion ?? modelVersion;
      yield* assembler.textSnapshot(alternative.message.text ?? '');
      if (alternative.status && FINAL_STATUSES.has(alternative.status)) {
        for (const call of yandexToolCalls(result)) yield* assembler.toolCall(call);
        finish = { finishReason: mapYandexStatus(alternative.status), usage: yandexUsage(result) };
        break;
      }
    }
  } catch (error) {
    throw toProviderError(error, { provider, signal: context.signal });
  }
  yield* assembler.finish({
    finishReason: finish?.finishReason,
    usage: finish?.usage,
    providerMetadata: { yandexgpt: { modelVersion, rewrites: assembler.revisions } },
  });
}
