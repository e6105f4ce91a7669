import { CALLER_KINDS } from '../errors/error-kind.js';
import { ProviderError } from '../errors/provider-error.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { recordError } from './attempt-recorder.js';
import { AttemptScope } from './attempt-scope.js';
import { computeBackoffMs } from './backoff.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { sleep } from './sleep.js';

export interface AttemptSuccess<T> {
  value: T;
  provider: ProviderV1;
  retry: number;
  /** `performance.now()` when the successful attempt started. */
  startedAt: number;
  /** The attempt's scope, still following the caller and the deadline; dispose it when the work is over. */
  scope: AttemptScope;
}

/** Turns whatever an attempt threw into a `ProviderError`, telling timeouts, deadlines and cancels apart. */
export function normalizeError(
  error: unknown,
  provider: ProviderV1,
  context: RequestContext,
  attemptTimedOut: boolean,
  timeoutMs: number,
): ProviderError {
  if (context.isCallerAborted()) {
    return ProviderError.isInstance(error) && error.kind === 'cancelled'
      ? error
      : new ProviderError({
          kind: 'cancelled',
          provider: provider.name,
          message: 'Cancelled by the caller',
          cause: error,
        });
  }
  if (context.isDeadlineExceeded()) {
    return new ProviderError({
      kind: 'timeout',
      provider: provider.name,
      retryable: false,
      message: 'The request deadline passed during this attempt',
      cause: error,
    });
  }
  if (attemptTimedOut) {
    return new ProviderError({
      kind: 'timeout',
      provider: provider.name,
      message: `${provider.name}: no answer within the attempt timeout of ${timeoutMs} ms`,
      cause: error,
    });
  }
  if (ProviderError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProviderError({
    kind: 'server',
    retryable: false,
    provider: provider.name,
    message: `${provider.name}: unexpected error: ${message}`,
    cause: error,
  });
}

/** The error for a request stopped by the caller's signal or the deadline. */
export function stoppedError(context: RequestContext, lastError?: unknown): RouteFailedError {
  return context.isCallerAborted()
    ? new RouteFailedError({ reason: 'cancelled', kind: 'cancelled', attempts: context.attempts, lastError })
    : new RouteFailedError({ reason: 'deadline', kind: 'timeout', attempts: context.attempts, lastError });
}

/**
 * The fallback loop. Tries providers in `order`; retries transient errors on the same provider with capped,
 * jittered backoff (Retry-After honoured when it is not longer than `maxRetryAfterMs` and fits the deadline);
 * moves on after provider-specific failures; stops at once on caller errors, cancellation and the deadline.
 * Providers with an open circuit are skipped. Returns the first successful attempt, whose success the
 * caller records (a stream's success is only known at its end).
 */
export async function runAttempts<T>(
  runtime: RouterRuntime,
  context: RequestContext,
  order: readonly ProviderV1[],
  call: (provider: ProviderV1, scope: AttemptScope) => Promise<T>,
): Promise<AttemptSuccess<T>> {
  let lastError: ProviderError | undefined;
  const remaining = [...order];
  const timeoutMs = context.options.timeoutMs ?? runtime.timeoutMs;
  const base = { requestId: context.requestId, streaming: context.streaming };

  while (remaining.length > 0) {
    const provider = remaining.shift()!;
    const { breaker } = runtime.stateFor(provider);
    if (breaker && !breaker.tryAcquire()) {
      context.attempts.push({
        provider: provider.name,
        model: provider.model,
        outcome: 'skipped',
        retry: 0,
        latencyMs: 0,
      });
      runtime.events.emit('attempt-skipped', {
        ...base,
        provider: provider.name,
        model: provider.model,
        reason: 'circuit-open',
      });
      continue;
    }

    for (let retry = 0; ; retry++) {
      if (context.signal?.aborted) {
        breaker?.release();
        throw stoppedError(context, lastError);
      }
      if (runtime.events.has('attempt-start')) {
        runtime.events.emit('attempt-start', {
          ...base,
          provider: provider.name,
          model: provider.model,
          retry,
        });
      }
      const scope = new AttemptScope(
        context.signal,
        timeoutMs,
        () => new ProviderError({ kind: 'timeout', provider: provider.name, message: 'attempt timeout' }),
      );
      const startedAt = performance.now();
      try {
        const value = await scope.race(call(provider, scope));
        return { value, provider, retry, startedAt, scope };
      } catch (raw) {
        scope.dispose();
        const latencyMs = performance.now() - startedAt;
        const error = normalizeError(raw, provider, context, scope.timedOut, timeoutMs);

        if (context.isCallerAborted() || context.isDeadlineExceeded()) {
          recordError(runtime, context, provider, error, { retry, latencyMs, willRetry: false });
          breaker?.release();
          throw stoppedError(context, error);
        }

        if (CALLER_KINDS.has(error.kind)) {
          recordError(runtime, context, provider, error, { retry, latencyMs, willRetry: false });
          breaker?.release();
          lastError = error;
          if (error.kind === 'context_length') {
            // Only a model with a larger context window can help; keep those, in order.
            const window = provider.capabilities?.contextWindow;
            const larger = remaining.filter(
              (p) => window !== undefined && (p.capabilities?.contextWindow ?? 0) > window,
            );
            remaining.splice(0, remaining.length, ...larger);
            if (remaining.length > 0) break;
          }
          throw new RouteFailedError({
            reason: 'caller-error',
            kind: error.kind,
            attempts: context.attempts,
            lastError: error,
          });
        }

        let willRetry = error.retryable && retry < runtime.retry.maxRetries;
        let delayMs: number | undefined;
        if (willRetry) {
          if (error.retryAfterMs !== undefined) {
            delayMs = error.retryAfterMs;
            if (delayMs > runtime.retry.maxRetryAfterMs) willRetry = false;
          } else {
            delayMs = computeBackoffMs(retry, runtime.retry, () => runtime.random());
          }
          if (context.deadlineAt !== undefined && Date.now() + (delayMs ?? 0) >= context.deadlineAt)
            willRetry = false;
        }
        recordError(runtime, context, provider, error, {
          retry,
          latencyMs,
          willRetry,
          delayMs: willRetry ? delayMs : undefined,
        });
        lastError = error;
        if (!willRetry) {
          breaker?.onFailure();
          break;
        }
        try {
          await sleep(delayMs ?? 0, context.signal);
        } catch {
          breaker?.release();
          throw stoppedError(context, error);
        }
      }
    }
  }
  throw new RouteFailedError({
    reason: 'all-failed',
    kind: lastError?.kind,
    attempts: context.attempts,
    lastError,
  });
}
