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
import { runAttempts } from './run-attempts.js';

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

/** See above. */
export async function* executeStream(
  runtime: RouterRuntime,
  context: RequestContext,
  getOrder: () => Promise<readonly ProviderV1[]>,
  settle: StreamSettle,
): AsyncGenerator<StreamPart, void, undefined> {
  let opened: Awaited<ReturnType<typeof runAttempts<OpenedStream>>>;
  try {
    const order = await getOrder();
    const timeoutMs =
      context.options.firstChunkTimeoutMs ??
      context.options.timeoutMs ??
      runtime.firstChunkTimeoutMs ??
      runtime.timeoutMs;
    opened = await runAttempts(runtime, context, order, timeoutMs, (provider, scope) =>
      openUntilFirstChunk(provider, context.request, scope),
    );
  } catch (error) {
    emitRouteFailure(runtime, context, error);
    context.dispose();
    settle.reject(error);
    throw error;
  }

  const { turn, retry, startedAt, scope } = opened;
  const { provider } = turn;
  const { iterator, buffered, ttftMs } = opened.value;
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
    ? async () => {
        scope.waitStarted();
        try {
          return await scope.race(iterator.next());
        } finally {
          scope.waitEnded();
        }
      }
    : () => iterator.next();
  let ended = opened.value.ended;
  const base = { requestId: context.requestId, streaming: true };
  if (ttftMs !== undefined)
    runtime.events.emit('first-chunk', { ...base, provider: provider.name, model: provider.model, ttftMs });

  let text = '';
  const toolCalls: ToolCall[] = [];
  const warnings: CallWarning[] = [];
  let finishReason: FinishReason = 'unknown';
  let reported: ProviderUsage | undefined;
  let response: RouteResult['response'];
  let providerMetadata: Record<string, unknown> | undefined;
  let settled = false;

  const absorb = (part: StreamPart): boolean => {
    switch (part.type) {
      case 'text-delta':
        text += part.delta;
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

  try {
    for (const part of buffered) if (absorb(part)) yield part;
    while (!ended) {
      const step = await next();
      if (step.done) throw truncated(provider, 'before its finish part');
      if (absorb(step.value)) yield step.value;
      else ended = true;
    }
    const latencyMs = performance.now() - startedAt;
    const usage = resolveUsage(reported, context.request.messages, text);
    const cost = computeCost(usage, runtime.pricingFor(provider));
    settled = true;
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
    runtime.events.emit('route-end', {
      ...base,
      success: true,
      provider: provider.name,
      model: provider.model,
      latencyMs: result.latencyMs,
      ...routeEndCounts(context),
    });
    // Settle before the last yield: a consumer that stops at `finish` must still get its result.
    settle.resolve(result);
    yield { type: 'finish', finishReason, usage };
  } catch (raw) {
    if (settled) throw raw;
    settled = true;
    const judged = judgeError(raw, provider, context, scope.timedOut);
    const latencyMs = performance.now() - startedAt;
    recordError(runtime, context, turn, judged, { retry, latencyMs, ttftMs, willRetry: false });
    endTurn(turn, judged.fault === 'caller' ? 'caller-fault' : 'provider-fault');
    const interrupted = new StreamInterruptedError({
      provider: provider.name,
      textSoFar: text,
      kind: judged.error.kind,
      attempts: context.attempts,
      cause: judged.error,
    });
    emitRouteFailure(runtime, context, interrupted);
    settle.reject(interrupted);
    throw interrupted;
  } finally {
    scope.dispose();
    context.dispose();
    if (!settled) {
      // The consumer stopped early: close the provider stream and count the attempt as cancelled.
      void Promise.resolve(iterator.return?.()).catch(() => {});
      const error = new ProviderError({
        kind: 'cancelled',
        provider: provider.name,
        message: 'Stream closed by the consumer',
      });
      recordError(
        runtime,
        context,
        turn,
        { error, fault: 'caller' },
        { retry, latencyMs: performance.now() - startedAt, ttftMs, willRetry: false },
      );
      endTurn(turn, 'caller-fault');
      emitRouteFailure(runtime, context, error);
      settle.reject(new LlmoError({ message: 'The stream was closed before it finished.', cause: error }));
    } else if (!ended) {
      void Promise.resolve(iterator.return?.()).catch(() => {});
    }
  }
}
