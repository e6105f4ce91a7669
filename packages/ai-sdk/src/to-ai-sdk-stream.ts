import { LlmoError, type RouteStream, type StreamPart } from '@llmo/core';
import type { LanguageModelV3StreamPart } from './ai-sdk-types.js';
import { toProviderMetadata } from './route-result-metadata.js';
import type { SpecDialect } from './spec-dialect.js';
import { toAbortError } from './to-abort-error.js';

type Part = LanguageModelV3StreamPart;
// biome-ignore lint/suspicious/noExplicitAny: see LlmoLanguageModel
type AnyDialect = SpecDialect<any, any, any>;

export interface StreamMappingOptions {
  dialect: AnyDialect;
  /** Warnings of the call itself, merged into the `stream-start` part. */
  warnings: unknown[];
  /** The caller's signal: an abort through it is reported to the AI SDK as an `AbortError`. */
  signal: AbortSignal | undefined;
  /** Aborts the router's call (part of its signal) when the consumer cancels the stream. */
  cancel: AbortController;
}

/**
 * The router's stream as an AI SDK stream. The first part is read before this resolves: the router only yields
 * once a provider has produced content, so every retry and fallback happens here, and a request that no
 * provider could answer rejects `doStream` with the router's `RouteFailedError` (per attempt: provider, kind,
 * latency), the way a failed HTTP call rejects in an AI SDK provider.
 *
 * After that, a failure (the upstream reset, stalled past the idle timeout, sent garbage) becomes an `error`
 * part followed by a `finish` part with reason `error`, as AI SDK providers report in-stream failures; the
 * text already streamed stays with the caller (llmo never mixes two providers' chunks). An abort by the caller
 * errors the stream with an `AbortError` (llmo's error as its `cause`): the AI SDK recognises a cancelled call
 * by that name only, and then emits an `abort` part and runs `onAbort` instead of reporting a failure.
 * Cancelling the ReadableStream aborts the router's call and returns its iterator, which closes the upstream
 * request at once, even while a read is waiting on a silent upstream.
 */
export async function routeStreamToParts(
  routed: RouteStream,
  { dialect, warnings, signal, cancel }: StreamMappingOptions,
): Promise<ReadableStream<Part>> {
  const iterator = routed.parts[Symbol.asyncIterator]();
  let pending: IteratorResult<StreamPart> | undefined = await iterator.next();
  const mapper = new PartMapper(dialect, warnings);
  let closed = false;
  const release = () => {
    closed = true;
    void Promise.resolve(iterator.return?.()).catch(() => {});
  };
  return new ReadableStream<Part>({
    async pull(controller) {
      if (closed) return;
      try {
        // Each pull enqueues at least one part or closes; every wait is bounded by the router's stream timeouts.
        while (true) {
          const step = pending ?? (await iterator.next());
          pending = undefined;
          if (step.done) {
            throw new LlmoError({
              name: 'StreamTruncatedError',
              message: '@llmo/ai-sdk: the router stream ended without a finish part',
            });
          }
          if (step.value.type === 'finish') {
            // The router settles its result before it yields `finish`.
            const result = await routed.result;
            for (const part of mapper.map(step.value)) controller.enqueue(part);
            controller.enqueue({
              type: 'response-metadata',
              id: result.response?.id ?? result.requestId,
              modelId: result.response?.model ?? result.model,
            });
            controller.enqueue({
              type: 'finish',
              finishReason: dialect.finishReason(result.finishReason),
              usage: dialect.usage(result.usage),
              providerMetadata: toProviderMetadata(result),
            });
            release();
            controller.close();
            return;
          }
          const parts = mapper.map(step.value);
          for (const part of parts) controller.enqueue(part);
          if (parts.length > 0) return;
        }
      } catch (error) {
        release();
        if (signal?.aborted) {
          // The AI SDK takes only an AbortError-named error as an abort (an `abort` part, `onAbort`).
          controller.error(toAbortError(signal, error));
          return;
        }
        controller.enqueue({ type: 'error', error });
        controller.enqueue({
          type: 'finish',
          finishReason: dialect.finishReason('error'),
          usage: dialect.usage(undefined),
        });
        controller.close();
      }
    },
    cancel() {
      // The router's return() waits for a pending read to end; the abort ends it (and the upstream request)
      // now, and the attempt is recorded `cancelled` instead of a `timeout` of the provider.
      if (!closed) cancel.abort(new DOMException('the AI SDK stream was cancelled', 'AbortError'));
      release();
    },
  });
}

/** Maps llmo stream parts to AI SDK stream parts, one at a time (the `finish` part is built by the caller). */
class PartMapper {
  #started = false;
  /** Text streamed per open block, to turn a `text-revision` that only extends it into a delta. */
  readonly #blocks = new Map<string, string>();
  /** Tool calls whose input is streaming (`tool-input-start` sent, `tool-input-end` not yet). */
  readonly #toolInputs = new Set<string>();

  constructor(
    private readonly dialect: AnyDialect,
    private readonly warnings: unknown[],
  ) {}

  map(part: StreamPart): Part[] {
    const out: Part[] = [];
    if (!this.#started) {
      this.#started = true;
      const providerWarnings =
        part.type === 'stream-start' ? part.warnings.map((w) => this.dialect.warning(w)) : [];
      out.push({ type: 'stream-start', warnings: [...this.warnings, ...providerWarnings] as never });
      if (part.type === 'stream-start') return out;
    }
    switch (part.type) {
      case 'stream-start':
        break; // a second one cannot happen (one provider per stream); nothing to add
      case 'response-metadata':
        out.push({
          type: 'response-metadata',
          ...(part.id !== undefined ? { id: part.id } : {}),
          ...(part.model !== undefined ? { modelId: part.model } : {}),
        });
        break;
      case 'text-start':
        this.#blocks.set(part.id, '');
        out.push({ type: 'text-start', id: part.id });
        break;
      case 'text-delta':
        this.#blocks.set(part.id, (this.#blocks.get(part.id) ?? '') + part.delta);
        out.push({ type: 'text-delta', id: part.id, delta: part.delta });
        break;
      case 'text-revision': {
        // The AI SDK's text parts only append. A revision that extends what was sent is a delta; one that
        // rewrites it cannot be shown faithfully, so the stream fails rather than leave wrong text on screen.
        const sent = this.#blocks.get(part.id) ?? '';
        if (!part.text.startsWith(sent)) {
          throw new LlmoError({
            name: 'StreamRevisedError',
            message:
              '@llmo/ai-sdk: the provider rewrote text it had already streamed (YandexGPT can); AI SDK streams only append. Use generateText for this provider.',
          });
        }
        this.#blocks.set(part.id, part.text);
        if (part.text.length > sent.length)
          out.push({ type: 'text-delta', id: part.id, delta: part.text.slice(sent.length) });
        break;
      }
      case 'text-end':
        this.#blocks.delete(part.id);
        out.push({ type: 'text-end', id: part.id });
        break;
      case 'tool-call-delta':
        if (!this.#toolInputs.has(part.toolCallId)) {
          this.#toolInputs.add(part.toolCallId);
          out.push({ type: 'tool-input-start', id: part.toolCallId, toolName: part.toolName });
        }
        out.push({ type: 'tool-input-delta', id: part.toolCallId, delta: part.argumentsDelta });
        break;
      case 'tool-call':
        if (this.#toolInputs.delete(part.id)) out.push({ type: 'tool-input-end', id: part.id });
        out.push({ type: 'tool-call', toolCallId: part.id, toolName: part.name, input: part.arguments });
        break;
      case 'finish':
        break; // built by the caller from the router's result
    }
    return out;
  }
}
