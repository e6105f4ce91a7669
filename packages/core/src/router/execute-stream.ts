import { computeCost } from '../cost/resolve-pricing.js';
import { resolveUsage } from '../cost/resolve-usage.js';
import { LlmoError } from '../errors/llmo-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import type { CallWarning } from '../spec/call-warning.js';
import type { ToolCall } from '../spec/chat-message.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { isContentPart, type StreamPart } from '../spec/stream-part.js';
import type { ProviderUsage } from '../spec/token-usage.js';
import { recordError, recordSuccess } from './attempt-recorder.js';
import type { AttemptScope } from './attempt-scope.js';
import { emitRouteFailure, routeEndCounts } from './execute-generate.js';
import { judgeError } from './judge-error.js';
import { endTurn } from './provider-turn.js';
import type { RouteResult } from './route-result.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { type AttemptSuccess, runAttempts } from './run-attempts.js';

/** A provider stream opened and read up to its first content part (or its end). */
interface OpenedStream {
  iterator: AsyncIterator<StreamPart>;
  buffered: StreamPart[];
  ttftMs: number | undefined;
  ended: boolean;
}

async function openUntilFirstChunk(
  provider: ProviderV1,
  request: RequestContext['request'],
  scope: AttemptScope,
): Promise<OpenedStream> {
  const startedAt = performance.now();
  // Called inside the attempt: a provider that throws while building the request is judged like any failure.
  const iterator = provider.stream({ ...request, signal: scope.signal })[Symbol.asyncIterator]();
  const buffered: StreamPart[] = [];
  try {
    while (true) {
      const next = await scope.race(iterator.next());
      if (next.done) throw truncated(provider, 'before its finish part');
      assertPart(provider, next.value);
      buffered.push(next.value);
      if (isContentPart(next.value))
        return { iterator, buffered, ttftMs: performance.now() - startedAt, ended: false };
      if (next.value.type === 'finish') {
        // Nothing generated and no reason why: a malformed answer (e.g. chunks without `choices`, then a
        // clean end), not an empty success. A reasoned empty answer (`stop`, `length`…) stays a success.
        if (next.value.finishReason === 'unknown')
          throw truncated(provider, 'with no content and no finish reason');
        return { iterator, buffered, ttftMs: undefined, ended: true };
      }
    }
  } catch (error) {
    void Promise.resolve(iterator.return?.()).catch(() => {});
    throw error;
  }
}

/** A part that is not a stream part at all (a provider bug or a garbled stream): a malformed answer. */
function assertPart(provider: ProviderV1, part: unknown): asserts part is StreamPart {
  if (typeof part !== 'object' || part === null || typeof (part as StreamPart).type !== 'string') {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: provider.name,
      message: `${provider.name}: the stream yielded something that is not a stream part`,
    });
  }
}

/** A stream that broke the part contract (exactly one `finish`, last): a malformed answer, retried once. */
function truncated(provider: ProviderV1, how: string): ProviderError {
  return new ProviderError({
    kind: 'invalid_response',
    provider: provider.name,
    message: `${provider.name}: the stream ended ${how}`,
  });
}

/**
 * `routeStream()`'s engine. Falls back only before the first content chunk; from then on the stream is
 * committed to one provider, and a failure ends it with a `StreamInterruptedError` carrying the text so far.
 * Yields the provider's parts, its `finish` replaced by the router's (complete usage), and settles the
 * stream's result promise through `settle`.
 */
export interface StreamSettle {
  resolve(result: RouteResult): void;
  reject(error: unknown): void;
}

/** What the router lends a stream: its provider order, and the start and end of the request's bookkeeping. */
export interface StreamHooks {
  order(): Promise<readonly ProviderV1[]>;
  /** Called when the stream is first read; throws to refuse it (a closed router). */
  start(): void;
  /**
   * Called once the request's work is over: before the last part is handed out (a consumer may stop there)
   * and in every other way the stream can end. Must be idempotent.
   */
  done(): void;
}

/** See above. */
export async function* executeStream(
  runtime: RouterRuntime,
  context: RequestContext,
  hooks: StreamHooks,
  settle: StreamSettle,
): AsyncGenerator<StreamPart, void, undefined> {
  const { done } = hooks;
  try {
    hooks.start();
  } catch (error) {
    settle.reject(error);
    throw error;
  }
  let opened: Awaited<ReturnType<typeof runAttempts<OpenedStream>>>;
  try {
    const order = await hooks.order();
    const timeoutMs =
      context.options.firstChunkTimeoutMs ??
      context.options.timeoutMs ??
      runtime.firstChunkTimeoutMs ??
      runtime.timeoutMs;
    opened = await runAttempts(runtime, context, order, timeoutMs, (provider, scope) =>
      openUntilFirstChunk(provider, context.request, scope),
    );
  } catch (error) {
    context.dispose();
    done();
    settle.reject(error);
    emitRouteFailure(runtime, context, error);
    throw error;
  }

  const { turn, retry, startedAt, scope } = opened;
  const { provider } = turn;
  const { iterator, buffered, ttftMs } = opened.value;
  // A probe's first chunk proves the provider is back; settling it now means a consumer that abandons the
  // stream can never strand the half-open circuit. (Other permits get their verdict at the end.)
  if (turn.permit?.probe) endTurn(turn, 'success');
  // From the first chunk on, the stream is bounded by silence, not by its total length.
  const idleMs = context.options.idleTimeoutMs ?? runtime.idleTimeoutMs;
  if (idleMs > 0) {
    scope.startIdleTimeout(
      idleMs,
      () =>
        new ProviderError({
          kind: 'timeout',
          provider: provider.name,
          message: `${provider.name}: the stream sent nothing for ${idleMs} ms (idleTimeoutMs)`,
        }),
    );
  } else scope.stopTimer();
  // With no timeout, no caller signal and no deadline nothing can abort the stream: skip the race per part.
  const raced = idleMs > 0 || context.signal !== undefined;
  const next = raced
    ? () => {
        scope.waitStarted();
        return scope.raceOne(iterator.next());
      }
    : () => iterator.next();
  let ended = opened.value.ended;
  const base = { requestId: context.requestId, streaming: true };
  if (ttftMs !== undefined)
    runtime.events.emit('first-chunk', { ...base, provider: provider.name, model: provider.model, ttftMs });

  let text = '';
  /** Where the open text block starts in `text`: a `text-revision` replaces everything after it. */
  let blockStart = 0;
  let revisions = 0;
  const toolCalls: ToolCall[] = [];
  const warnings: CallWarning[] = [];
  let finishReason: FinishReason = 'unknown';
  let reported: ProviderUsage | undefined;
  let response: RouteResult['response'];
  let providerMetadata: Record<string, unknown> | undefined;
  /** The attempt has its outcome (success or failure) recorded: nothing more to record. */
  let recorded = false;
  /** The result promise is settled. */
  let delivered = false;

  const absorb = (part: StreamPart): boolean => {
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
        return true;
      case 'text-start':
        blockStart = text.length;
        return true;
      case 'text-revision':
        text = text.slice(0, blockStart) + part.text;
        revisions++;
        return true;
      case 'tool-call':
        toolCalls.push({ id: part.id, name: part.name, arguments: part.arguments });
        return true;
      case 'stream-start':
        warnings.push(...part.warnings);
        return true;
      case 'response-metadata':
        response = { id: part.id, model: part.model, requestId: part.requestId };
        return true;
      case 'finish':
        finishReason = part.finishReason;
        reported = part.usage;
        providerMetadata = part.providerMetadata;
        return false;
      default:
        return true;
    }
  };
  /** Ends the request's work: timers, the caller-signal listener, the router's in-flight count. */
  const release = () => {
    scope.dispose();
    context.dispose();
    done();
  };

  try {
    for (const part of buffered) if (absorb(part)) yield part;
    while (!ended) {
      const step = await next();
      // Between two reads the consumer's time is its own, not the provider's silence.
      scope.waitEnded();
      if (step.done) throw truncated(provider, 'before its finish part');
      assertPart(provider, step.value);
      if (absorb(step.value)) yield step.value;
      else ended = true;
    }
    const latencyMs = performance.now() - startedAt;
    if (revisions > 0) {
      // Visible to a caller who iterated plain text, which cannot take text back.
      warnings.push({
        type: 'other',
        message: `${provider.name} revised text it had already streamed (${revisions} time${revisions === 1 ? '' : 's'}); result.text is the final text, the parts carry each text-revision`,
      });
    }
    const usage = resolveUsage(reported, context.request.messages, text);
    const cost = computeCost(usage, runtime.pricingFor(provider));
    recorded = true;
    recordSuccess(runtime, context, turn, { retry, latencyMs, ttftMs, usage, cost });
    const result: RouteResult = {
      requestId: context.requestId,
      text,
      toolCalls,
      provider: provider.name,
      model: provider.model,
      usage,
      cost,
      finishReason,
      latencyMs: performance.now() - context.startedAt,
      ttftMs,
      attempts: context.attempts,
      warnings,
      response,
      providerMetadata,
    };
    // Everything that ends the request happens before the last yield: a consumer may stop at `finish`.
    release();
    delivered = true;
    settle.resolve(result);
    runtime.events.emit('route-end', {
      ...base,
      success: true,
      provider: provider.name,
      model: provider.model,
      latencyMs: result.latencyMs,
      ...routeEndCounts(context),
    });
    yield { type: 'finish', finishReason, usage };
  } catch (raw) {
    if (delivered) throw raw;
    const interrupted = recorded ? raw : recordInterruption(runtime, context, opened, text, raw);
    recorded = true;
    release();
    delivered = true;
    settle.reject(interrupted);
    emitRouteFailure(runtime, context, interrupted);
    throw interrupted;
  } finally {
    release();
    if (!recorded) {
      // The consumer stopped early: close the provider stream and count the attempt as cancelled.
      recorded = true;
      void Promise.resolve(iterator.return?.()).catch(() => {});
      const error = new ProviderError({
        kind: 'cancelled',
        provider: provider.name,
        message: 'Stream closed by the consumer',
      });
      endTurn(turn, 'caller-fault');
      recordError(
        runtime,
        context,
        turn,
        { error, fault: 'caller' },
        { retry, latencyMs: performance.now() - startedAt, ttftMs, willRetry: false },
      );
      delivered = true;
      settle.reject(new LlmoError({ message: 'The stream was closed before it finished.', cause: error }));
      emitRouteFailure(runtime, context, error);
    } else if (!ended) {
      void Promise.resolve(iterator.return?.()).catch(() => {});
    }
    if (!delivered) settle.reject(new LlmoError({ message: 'The stream ended without a result.' }));
  }
}

/** A committed stream failed: the verdict, the attempt's record, and the error the caller gets. */
function recordInterruption(
  runtime: RouterRuntime,
  context: RequestContext,
  opened: AttemptSuccess<OpenedStream>,
  text: string,
  raw: unknown,
): StreamInterruptedError {
  const { turn, retry, startedAt, scope } = opened;
  const judged = judgeError(raw, turn.provider, context, scope.timedOut);
  endTurn(turn, judged.fault === 'caller' ? 'caller-fault' : 'provider-fault');
  recordError(runtime, context, turn, judged, {
    retry,
    latencyMs: performance.now() - startedAt,
    ttftMs: opened.value.ttftMs,
    willRetry: false,
  });
  return new StreamInterruptedError({
    provider: turn.provider.name,
    textSoFar: text,
    kind: judged.error.kind,
    attempts: context.attempts,
    cause: judged.error,
  });
}
