import {
  type FinishReason,
  ProviderError,
  type ProviderUsage,
  parseNdjsonStream,
  parseWire,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { completionEnvelopeSchema, unwrapResult } from './yandexgpt-api.js';
import {
  FINAL_STATUSES,
  mapYandexStatus,
  yandexBodyError,
  yandexToolCalls,
  yandexUsage,
} from './yandexgpt-response.js';

/**
 * The native stream (newline-separated `{"result": …}` objects) → contract parts. Each object repeats the
 * whole text so far, so deltas come from a prefix check. The docs warn earlier text may change: when the
 * new text does not extend what was sent, it goes out at once as a `text-revision` (the block's whole text
 * now), so a consumer never shows stale text and the final result is the provider's final text; the finish
 * part counts them (`providerMetadata.yandexgpt.rewrites`). The stream ends at a final status; an end
 * without one is a truncated stream.
 */
export async function* yandexStreamParts(
  body: ReadableStream<Uint8Array>,
  context: { provider: string; signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  let sent = '';
  let textStarted = false;
  let rewrites = 0;
  let finish: { finishReason: FinishReason; usage?: ProviderUsage } | undefined;
  let modelVersion: string | undefined;
  try {
    for await (const raw of parseNdjsonStream(body, { provider })) {
      const envelope = parseWire(completionEnvelopeSchema, raw, { provider, what: 'stream line' });
      if (envelope.error) throw yandexBodyError(envelope, provider);
      const result = unwrapResult(envelope);
      const alternative = result?.alternatives[0];
      if (!result || !alternative) continue;
      modelVersion = result.modelVersion ?? modelVersion;
      const text = alternative.message.text ?? '';
      if (text !== sent) {
        if (!textStarted) {
          textStarted = true;
          yield { type: 'text-start', id: '0' };
        }
        if (text.startsWith(sent)) {
          yield { type: 'text-delta', id: '0', delta: text.slice(sent.length) };
        } else {
          rewrites++;
          yield { type: 'text-revision', id: '0', text };
        }
        sent = text;
      }
      if (alternative.status && FINAL_STATUSES.has(alternative.status)) {
        for (const call of yandexToolCalls(result)) {
          yield {
            type: 'tool-call-delta',
            toolCallId: call.id,
            toolName: call.name,
            argumentsDelta: call.arguments,
          };
          yield { type: 'tool-call', ...call };
        }
        finish = { finishReason: mapYandexStatus(alternative.status), usage: yandexUsage(result) };
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
      message: `${provider}: the stream ended before a final status`,
    });
  }
  if (textStarted) yield { type: 'text-end', id: '0' };
  yield { type: 'finish', ...finish, providerMetadata: { yandexgpt: { modelVersion, rewrites } } };
}
