import {
  BatchReader,
  type BodySource,
  type CallWarning,
  type FinishReason,
  flattenBatches,
  LineSplitter,
  type PartSource,
  type PartStreamInit,
  ProviderError,
  parseWire,
  partStream,
  StreamAssembler,
  type StreamPart,
  toProviderError,
} from '@llmo/core/provider';
import { type GeminiUsageMetadata, generateContentResponseSchema } from './gemini-api.js';
import { geminiErrors, isGeminiErrorBody } from './gemini-errors.js';
import type { GeminiToolCallMemory } from './gemini-messages.js';
import type { GeminiModelPricing } from './gemini-pricing.js';
import {
  blockedAnswerError,
  blockedPromptError,
  candidatePieces,
  safetyRatings,
  ToolCallIds,
} from './gemini-response.js';
import { type GeminiCallMetadata, toProviderUsage, usageMetadata } from './gemini-usage.js';
import { BLOCKING_FINISH_REASONS, mapGeminiFinishReason } from './map-gemini-finish-reason.js';

export interface GeminiStreamContext {
  provider: string;
  signal?: AbortSignal;
  requestId?: string;
  pricing?: GeminiModelPricing;
  memory?: GeminiToolCallMemory;
  /** Ids for calls without one when a chunk has no `responseId`. */
  fallbackIdPrefix?: () => string;
  /** The longest line accepted (default: core's 16 MiB); a longer one is `invalid_response`. */
  maxLineLength?: number;
}

/** How much non-SSE text (a bare error object, pitfall 12) is buffered before giving up on it. */
const MAX_BARE_TEXT = 1024 * 1024;

const notJson = (provider: string, what: string, cause?: unknown) =>
  new ProviderError({
    kind: 'invalid_response',
    provider,
    cause,
    message: `${provider}: ${what}`,
  });

/**
 * Reads the `alt=sse` body as the JSON values it carries. Not `parseSseStream`: besides `data:` events
 * (ending in `\r\n\r\n`, pitfall 5; any line ending works here) the stream may carry an error as a **bare**
 * JSON object, possibly pretty-printed over several lines, with no `data:` prefix (pitfall 12; js-genai
 * checks every raw chunk for one), which an SSE parser drops as unknown fields. Lines go through core's
 * `LineSplitter`, so an endless line ends in a `line-too-long` error, never in unbounded memory.
 *
 * At the end of the body, a `data:` event without its blank line is dispatched if it is complete JSON, and
 * is a truncated stream (retryable `network`) otherwise; bare text that is not JSON is `invalid_response`.
 */
export function geminiSseBatches(
  body: BodySource,
  options: { provider: string; maxLineLength?: number },
): AsyncIterableIterator<unknown[]> {
  const { provider } = options;
  return new BatchReader<unknown>(body, (push) => {
    const lines = new LineSplitter({ provider, maxLineLength: options.maxLineLength });
    let data: string[] = [];
    let dataLength = 0;
    let bare: string[] = [];
    let bareLength = 0;
    let first = true;

    const dispatchData = () => {
      if (data.length === 0) return;
      const text = data.join('\n');
      data = [];
      dataLength = 0;
      try {
        push(JSON.parse(text));
      } catch (cause) {
        throw notJson(provider, 'a stream event is not JSON', cause);
      }
    };
    const tryBare = (final: boolean) => {
      if (bare.length === 0) return;
      const text = bare.join('\n').trim();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        if (final || bareLength > MAX_BARE_TEXT)
          throw notJson(
            provider,
            `the stream sent ${bareLength} characters that are neither SSE nor JSON`,
            cause,
          );
        return;
      }
      bare = [];
      bareLength = 0;
      push(value);
    };
    const onLine = (raw: string) => {
      let line = raw;
      if (first) {
        first = false;
        if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
      }
      if (line === '') {
        dispatchData();
        tryBare(true);
      } else if (bare.length === 0 && line.startsWith('data:')) {
        const value = line.slice(line.charCodeAt(5) === 32 ? 6 : 5);
        dataLength += value.length + (data.length > 0 ? 1 : 0);
        if (dataLength > lines.maxLineLength)
          throw notJson(provider, `a stream event is longer than ${lines.maxLineLength} characters`);
        data.push(value);
      } else if (bare.length === 0 && (line.startsWith(':') || /^(event|id|retry)(:|$)/.test(line))) {
        // Comments and SSE fields Gemini does not use.
      } else {
        bare.push(line);
        bareLength += line.length + 1;
        // Only a line that can close a JSON value may complete one: parsing the growing text after every line
        // would be quadratic in a hostile stream of non-JSON lines.
        if (/[}\]]\s*$/.test(line)) tryBare(false);
        else if (bareLength > MAX_BARE_TEXT) tryBare(true);
      }
    };
    return {
      feed: (text) => lines.feed(text, onLine),
      end: () => {
        const rest = lines.flush();
        if (rest !== undefined) onLine(rest);
        if (data.length > 0) {
          const text = data.join('\n');
          data = [];
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            throw new ProviderError({
              kind: 'network',
              provider,
              message: `${provider}: the stream ended in the middle of an event`,
            });
          }
          push(value);
        }
        tryBare(true);
      },
    };
  });
}

/** `geminiSseBatches`, one value at a time. */
export function geminiSseValues(
  body: BodySource,
  options: { provider: string; maxLineLength?: number },
): AsyncIterableIterator<unknown> {
  return flattenBatches(geminiSseBatches(body, options));
}

/**
 * `streamGenerateContent?alt=sse` → contract stream parts, on core's `StreamAssembler`:
 * - each event is a whole `GenerateContentResponse` whose parts are deltas (§5.1); text goes out as
 *   deltas, `functionCall` parts whole (ids made up when absent);
 * - `usageMetadata` is a running total on every chunk: the last one wins (pitfall 6);
 * - `finishReason` comes on the last candidate chunk; a tool call ends with `STOP` (pitfall 8);
 * - there is no end marker: a body that ends before a `finishReason` is truncated (retryable `network`);
 * - an error object inside the 200 stream, bare or as `data:`, is thrown as a typed error (pitfall 12);
 * - a blocked prompt (`promptFeedback.blockReason`, no candidates) and an answer blocked before any of it
 *   was sent are `content_filter` errors; a block after some text ends with finish reason `content-filter`,
 *   the reason in `providerMetadata.gemini` (pitfall 10).
 */
export function geminiStreamSource(
  /** The response: read from the Node transport's stream when it has one (see `parseSseStream`). */
  body: BodySource,
  context: GeminiStreamContext,
): PartSource<unknown> {
  const { provider, requestId } = context;
  const assembler = new StreamAssembler({ provider, endedEarly: 'before a finishReason' });
  let ids: ToolCallIds | undefined;
  let usage: GeminiUsageMetadata | undefined;
  let finishReason: FinishReason | undefined;
  const metadata: GeminiCallMetadata = {};
  let metadataSent = false;
  let produced = false;
  let toolCalls = false;

  const map = (value: unknown, out: StreamPart[]) => {
    if (isGeminiErrorBody(value)) throw geminiErrors.inBody(value, { provider, requestId });
    const chunk = parseWire(generateContentResponseSchema, value, { provider, what: 'stream chunk' });
    const blocked = blockedPromptError(chunk, provider, requestId);
    if (blocked) throw blocked;
    if (!metadataSent) {
      metadataSent = true;
      out.push({
        type: 'response-metadata',
        id: chunk.responseId ?? undefined,
        model: chunk.modelVersion ?? undefined,
        requestId,
      });
    }
    if (chunk.modelVersion) metadata.modelVersion = chunk.modelVersion;
    if (chunk.usageMetadata) usage = chunk.usageMetadata;
    ids ??= new ToolCallIds(chunk.responseId, context.fallbackIdPrefix ?? (() => 'gemini-call'));
    const candidate = chunk.candidates?.[0];
    if (!candidate) return;
    for (const piece of candidatePieces(candidate, ids, context.memory)) {
      produced = true;
      if (piece.kind === 'text') out.push(...assembler.text(piece.text));
      else {
        toolCalls = true;
        out.push(...assembler.toolCall(piece.call!));
      }
    }
    const reason = candidate.finishReason;
    if (reason) {
      if (BLOCKING_FINISH_REASONS.has(reason)) {
        if (!produced) throw blockedAnswerError(candidate, provider, requestId);
        metadata.blockReason = reason;
      }
      metadata.finishReason = reason;
      if (candidate.finishMessage) metadata.finishMessage = candidate.finishMessage;
      const ratings = safetyRatings(candidate.safetyRatings);
      if (ratings) metadata.safetyRatings = ratings;
      finishReason = mapGeminiFinishReason(reason, toolCalls);
    }
  };

  return {
    batches: geminiSseBatches(body, context),
    map,
    finish: (out) => {
      out.push(
        ...assembler.finish({
          finishReason,
          usage: toProviderUsage(usage),
          providerMetadata: { gemini: { ...usageMetadata(usage, context.pricing), ...metadata } },
        }),
      );
    },
    mapError: (error) => toProviderError(error, { provider, signal: context.signal }),
  };
}

/** `geminiStreamSource` as an async iterable of parts (its tests read it so). */
export function geminiStreamParts(body: BodySource, context: GeminiStreamContext): AsyncIterable<StreamPart> {
  return partStream(() => ({ source: geminiStreamSource(body, context) }));
}

/** What `partStream` opens for a `streamGenerateContent?alt=sse` response: `stream-start` with the warnings first. */
export function geminiStreamInit(
  response: Response,
  warnings: CallWarning[],
  context: GeminiStreamContext,
): PartStreamInit<unknown> {
  return {
    response,
    head: [{ type: 'stream-start', warnings }],
    source: geminiStreamSource(response, context),
  };
}

/** A `streamGenerateContent?alt=sse` response as the contract's stream: `stream-start` with the warnings first. */
export function geminiResponseStream(
  response: Response,
  warnings: CallWarning[],
  context: GeminiStreamContext,
): AsyncIterable<StreamPart> {
  return partStream(() => geminiStreamInit(response, warnings, context));
}
