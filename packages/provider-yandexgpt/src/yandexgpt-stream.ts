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
 * whole text so far, so deltas come from a prefix check: a delta is emitted only when the new text extends
 * everything already sent. The docs warn earlier text may still change: such a rewrite is held back until the
 * text extends what was sent again; if the final text still diverges, the finish part says so
 * (`providerMetadata.yandexgpt.rewritten`) and carries `finalText`. The stream ends at a final status; an end
 * without one is a truncated stream.
 */
export async function* yandexStreamParts(
  body: ReadableStream<Uint8Array>,
  context: { provider: string; signal?: AbortSignal },
): AsyncGenerator<StreamPart> {
  const { provider } = context;
  let sent = '';
  let latest = '';
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
      if (text !== latest && !text.startsWith(latest) && latest.length > 0) rewrites++;
      latest = text;
      if (text.startsWith(sent) && text.length > sent.length) {
        if (!textStarted) {
          textStarted = true;
          yield { type: 'text-start', id: '0' };
        }
        yield { type: 'text-delta', id: '0', delta: text.slice(sent.length) };
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
  const diverged = latest !== sent;
  yield {
    type: 'finish',
    ...finish,
    providerMetadata: {
      yandexgpt: { modelVersion, rewrites, ...(diverged ? { rewritten: true, finalText: latest } : {}) },
    },
  };
}
