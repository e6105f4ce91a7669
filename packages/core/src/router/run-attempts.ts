import { ProviderError } from '../errors/provider-error.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { recordError } from './attempt-recorder.js';
import { AttemptScope } from './attempt-scope.js';
import { runWrapped } from './attempt-wrapper.js';
import { computeBackoffMs } from './backoff.js';
import { judgeError } from './judge-error.js';
import { endTurn, type ProviderTurn, startTurn } from './provider-turn.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { sleep } from './sleep.js';

export interface AttemptSuccess<T> {
  value: T;
  /** The turn that succeeded; its verdict is given by the caller once the work is over (a stream's end). */
  turn: ProviderTurn;
  retry: number;
  /** `performance.now()` when the successful attempt started. */
  startedAt: number;
  /** The attempt's scope, still following the caller and the deadline; dispose it when the work is over. */
  scope: AttemptScope;
}

/** What one attempt runs: the provider call, under the attempt's scope. */
export type AttemptCall<T> = (provider: ProviderV1, scope: AttemptScope) => Promise<T>;
/** Checks an attempt's value; throws (a `ProviderError`) when it breaks the contract. */
export type AttemptCheck<T> = (provider: ProviderV1, value: T) => void;

/** The error for a request stopped by the caller's signal or the deadline. */
export function stoppedError(context: RequestContext, lastError?: unknown): RouteFailedError {
  return context.isCallerAborted()
    ? new RouteFailedError({ reason: 'cancelled', kind: 'cancelled', attempts: context.attempts, lastError })
    : new RouteFailedError({ reason: 'deadline', kind: 'timeout', attempts: context.attempts, lastError });
}

/** A malformed or truncated answer is worth one more try on the same provider: it is often a glitch. */
const MALFORMED_RETRIES = 1;

/** Whether a provider fault is worth another try (same provider now, or on the next pass). */
function isTransient(error: ProviderError): boolean {
  return error.retryable || error.kind === 'invalid_response';
}

type TurnEnd =
  | { type: 'success'; success: AttemptSuccess<unknown> }
  /** The provider failed; `again` when it failed transiently and may be tried on the next pass. */
  | { type: 'failed'; again: boolean }
  /** A caller fault that another provider might not have (it could not build the request, context length). */
  | { type: 'next' };

/**
 * The fallback loop. Tries providers in `order`; retries transient errors on the same provider with capped,
 * jittered backoff (Retry-After honoured when it is not longer than `maxRetryAfterMs` and fits the deadline);
 * moves on after provider-specific failures; stops at once on caller errors, cancellation and the deadline.
 * Providers with an open circuit are skipped. When every provider failed transiently and the deadline has
 * room, goes around again (up to `retry.maxPasses`), with a backoff between passes. Returns the first
 * successful attempt, whose success the caller records (a stream's success is only known at its end).
 */
export async function runAttempts<T>(
  runtime: RouterRuntime,
  context: RequestContext,
  order: readonly ProviderV1[],
  timeoutMs: number,
  call: AttemptCall<T>,
  check?: AttemptCheck<T>,
): Promise<AttemptSuccess<T>> {
  const last: { error?: ProviderError } = {};
  let candidates: readonly ProviderV1[] = order;
  for (let pass = 0; ; pass++) {
    const again: ProviderV1[] = [];
    const remaining = candidates.slice();
    while (remaining.length > 0) {
      const provider = remaining.shift()!;
      const turn = startTurn(runtime, provider);
      if (!turn) {
        skip(runtime, context, provider);
        // Its cooldown may end before the next pass.
        again.push(provider);
        continue;
      }
      // Another provider that could take the request must be left time: one still to come in this pass, or
      // one that failed transiently earlier in it and gets a later pass. Never a later pass of this one.
      const admissible = (p: ProviderV1) =>
        p !== provider && (runtime.stateFor(p).breaker?.wouldAdmit() ?? true);
      const alternatives =
        context.deadlineAt !== undefined &&
        (remaining.some(admissible) || (pass + 1 < runtime.retry.maxPasses && again.some(admissible)));
      const end = await runTurn(
        runtime,
        context,
        turn,
        timeoutMs,
        alternatives,
        call,
        check,
        remaining,
        last,
      );
      if (end.type === 'success') return end.success as AttemptSuccess<T>;
      if (end.type === 'failed' && end.again) again.push(provider);
    }
    if (again.length === 0 || pass + 1 >= runtime.retry.maxPasses || !last.error) break;
    const delayMs = computeBackoffMs(pass + 1, runtime.retry, () => runtime.random());
    if (context.deadlineAt !== undefined && Date.now() + delayMs >= context.deadlineAt) break;
    try {
      await sleep(delayMs, context.signal);
    } catch {
      throw stoppedError(context, last.error);
    }
    candidates = again;
  }
  // The last provider stopped on its share of the deadline: the request ran out of time.
  if (last.error?.code === 'deadline-share') throw stoppedError(context, last.error);
  throw new RouteFailedError({
    reason: 'all-failed',
    kind: last.error?.kind,
    attempts: context.attempts,
    lastError: last.error,
  });
}

function skip(runtime: RouterRuntime, context: RequestContext, provider: ProviderV1): void {
  context.attempts.push({
    provider: provider.name,
    model: provider.model,
    outcome: 'skipped',
    retry: 0,
    latencyMs: 0,
  });
  runtime.events.emit('attempt-skipped', {
    requestId: context.requestId,
    streaming: context.streaming,
    provider: provider.name,
    model: provider.model,
    reason: 'circuit-open',
  });
}

/**
 * One provider's turn: its first try and its retries, ending with exactly one verdict. Whatever escapes (a
 * stop, a caller error, a throwing logger or listener) releases the permit on the way out: one already
 * settled ignores that, one that was not can no longer strand a half-open probe.
 */
async function runTurn<T>(
  runtime: RouterRuntime,
  context: RequestContext,
  turn: ProviderTurn,
  timeoutMs: number,
  alternatives: boolean,
  call: AttemptCall<T>,
  check: AttemptCheck<T> | undefined,
  remaining: ProviderV1[],
  last: { error?: ProviderError },
): Promise<TurnEnd> {
  const { provider } = turn;
  try {
    for (let retry = 0; ; retry++) {
      if (context.signal?.aborted) {
        endTurn(turn, 'caller-fault');
        throw stoppedError(context, last.error);
      }
      if (runtime.events.has('attempt-start')) {
        runtime.events.emit('attempt-start', {
          requestId: context.requestId,
          streaming: context.streaming,
          provider: provider.name,
          model: provider.model,
          retry,
        });
      }
      const budgetMs = attemptBudget(context, timeoutMs, alternatives);
      const scope = new AttemptScope(context.signal, budgetMs, () =>
        attemptTimeout(provider, budgetMs, context.streaming),
      );
      const startedAt = performance.now();
      try {
        const pending =
          runtime.attemptWrappers.length === 0
            ? call(provider, scope)
            : runWrapped(
                runtime.attemptWrappers,
                {
                  requestId: context.requestId,
                  streaming: context.streaming,
                  provider: provider.name,
                  model: provider.model,
                  retry,
                },
                () => call(provider, scope),
                runtime.warn,
              );
        const value = await scope.race(pending);
        check?.(provider, value);
        return { type: 'success', success: { value, turn, retry, startedAt, scope } };
      } catch (raw) {
        scope.dispose();
        const latencyMs = performance.now() - startedAt;
        const judged = judgeError(raw, provider, context, scope.timedOut);
        const { error } = judged;
        last.error = error;

        if (context.isCallerAborted() || context.isDeadlineExceeded()) {
          endTurn(turn, 'caller-fault');
          recordError(runtime, context, turn, judged, { retry, latencyMs, willRetry: false });
          throw stoppedError(context, error);
        }

        if (scope.timedOut && budgetMs < timeoutMs) {
          // Timed out on the share of the deadline it was given, not on the attempt timeout: the caller's
          // deadline is tight, which says nothing about the provider. Move on, and leave it for a later pass.
          const error = new ProviderError({
            kind: 'timeout',
            code: 'deadline-share',
            retryable: false,
            provider: provider.name,
            message: `${provider.name}: no answer within ${budgetMs} ms, half of what was left of the deadline; trying another provider`,
            cause: raw,
          });
          last.error = error;
          endTurn(turn, 'caller-fault');
          // Still evidence for ranking: it took at least this long (never for the circuit).
          turn.state.metrics.recordCensoredLatency(latencyMs);
          recordError(
            runtime,
            context,
            turn,
            { error, fault: 'caller' },
            { retry, latencyMs, willRetry: false },
          );
          return { type: 'failed', again: true };
        }

        if (judged.fault === 'caller') {
          endTurn(turn, 'caller-fault');
          recordError(runtime, context, turn, judged, { retry, latencyMs, willRetry: false });
          // A provider that could not build the request says nothing about the others: try the next one.
          if (judged.providerSpecific) return { type: 'next' };
          if (error.kind === 'context_length') {
            // Only a model with a larger context window can help; keep those, in order.
            const window = provider.capabilities?.contextWindow;
            const larger = remaining.filter(
              (p) => window !== undefined && (p.capabilities?.contextWindow ?? 0) > window,
            );
            remaining.splice(0, remaining.length, ...larger);
            if (remaining.length > 0) return { type: 'next' };
          }
          throw new RouteFailedError({
            reason: 'caller-error',
            kind: error.kind,
            attempts: context.attempts,
            lastError: error,
          });
        }

        // Our own timer fired: the provider is stalled, and waiting for it again would only repeat that.
        // Another provider (or a later pass) gets the time instead.
        const delay = scope.timedOut ? { again: true } : retryDelay(runtime, context, error, retry);
        const delayMs = delay.delayMs;
        if (delayMs === undefined) endTurn(turn, 'provider-fault');
        if (scope.timedOut) turn.state.metrics.recordCensoredLatency(latencyMs);
        recordError(runtime, context, turn, judged, {
          retry,
          latencyMs,
          willRetry: delayMs !== undefined,
          delayMs,
        });
        if (delayMs === undefined) return { type: 'failed', again: delay.again && isTransient(error) };
        try {
          await sleep(delayMs, context.signal);
        } catch {
          endTurn(turn, 'caller-fault');
          throw stoppedError(context, error);
        }
      }
    }
  } catch (error) {
    endTurn(turn, 'caller-fault');
    throw error;
  }
}

/**
 * The time one attempt may take: the attempt timeout, but under a deadline, while another provider could
 * still be tried, at most half of what is left. Otherwise one stalled provider would use up the whole
 * deadline (a 60 s attempt timeout under a 10 s deadline) although another could have answered.
 */
function attemptBudget(context: RequestContext, timeoutMs: number, alternatives: boolean): number {
  if (context.deadlineAt === undefined || !alternatives) return timeoutMs;
  const left = context.deadlineAt - Date.now();
  return Math.max(1, Math.min(timeoutMs, Math.floor(left / 2)));
}

/**
 * How long to wait before retrying on the same provider (`delayMs`), or none to end its turn; `again` is
 * false when the provider asked for a pause (Retry-After) longer than we wait or than the deadline leaves,
 * so a later pass must not call it sooner either.
 */
function retryDelay(
  runtime: RouterRuntime,
  context: RequestContext,
  error: ProviderError,
  retry: number,
): { delayMs?: number; again: boolean } {
  const left = context.deadlineAt === undefined ? Number.POSITIVE_INFINITY : context.deadlineAt - Date.now();
  const asked = error.retryAfterMs;
  const honourable = asked === undefined || (asked <= runtime.retry.maxRetryAfterMs && asked < left);
  const limit = error.retryable
    ? runtime.retry.maxRetries
    : error.kind === 'invalid_response'
      ? Math.min(MALFORMED_RETRIES, runtime.retry.maxRetries)
      : 0;
  if (retry >= limit || !honourable) return { again: honourable };
  const delayMs = asked ?? computeBackoffMs(retry, runtime.retry, () => runtime.random());
  if (delayMs >= left) return { again: true };
  return { delayMs, again: true };
}

function attemptTimeout(provider: ProviderV1, timeoutMs: number, streaming: boolean): ProviderError {
  return new ProviderError({
    kind: 'timeout',
    provider: provider.name,
    message: streaming
      ? `${provider.name}: no first chunk within ${timeoutMs} ms (firstChunkTimeoutMs)`
      : `${provider.name}: no answer within the attempt timeout of ${timeoutMs} ms`,
  });
}
