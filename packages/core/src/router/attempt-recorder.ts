import { addAmounts } from '../cost/resolve-pricing.js';
import type { ProviderError } from '../errors/provider-error.js';
import type { FinishReason } from '../spec/finish-reason.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { TokenUsage } from '../spec/token-usage.js';
import { createUsageRecordId } from '../usage/usage-record.js';
import type { Fault } from './judge-error.js';
import type { ProviderTurn } from './provider-turn.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';

/** The fields every usage record shares, success or failure. */
function usageBase(
  context: RequestContext,
  provider: ProviderV1,
  outcome: { retry: number; latencyMs: number; ttftMs?: number },
) {
  return {
    id: createUsageRecordId(),
    requestId: context.requestId,
    provider: provider.name,
    model: provider.model,
    latencyMs: outcome.latencyMs,
    ttftMs: outcome.ttftMs,
    streaming: context.streaming,
    retry: outcome.retry,
    tenantId: context.tenantId,
    platformKeyId: context.platformKeyId,
    timestamp: new Date().toISOString(),
  };
}

/**
 * Records one finished attempt everywhere it must go: the attempt list, the metrics of the provider state the
 * turn started with, session cost, the usage sink, events and the logger; and ends the turn with its verdict.
 * Written once for `route()` and `routeStream()`.
 */
/** What an `attempt-end` event says of the answer (fields left out when unknown). */
interface AttemptAnswer {
  finishReason?: FinishReason;
  responseId?: string;
  responseModel?: string;
}

/** The answer fields of `attempt-end` from a result's finish reason and `response`. */
function attemptAnswer(
  finishReason: FinishReason | undefined,
  response: { id?: string; model?: string } | undefined,
): AttemptAnswer {
  const answer: AttemptAnswer = {};
  if (finishReason !== undefined) answer.finishReason = finishReason;
  if (response?.id !== undefined) answer.responseId = response.id;
  if (response?.model !== undefined) answer.responseModel = response.model;
  return answer;
}

export function recordSuccess(
  runtime: RouterRuntime,
  context: RequestContext,
  turn: ProviderTurn,
  outcome: {
    retry: number;
    latencyMs: number;
    ttftMs?: number;
    usage: TokenUsage;
    cost: { amount: number; currency: string; known: boolean };
    /** How the answer ended, and the provider's response (for the `attempt-end` event). */
    finishReason?: FinishReason;
    response?: { id?: string; model?: string };
  },
): void {
  const { provider, state } = turn;
  const { metrics } = state;
  turn.permit?.success();
  metrics.recordSuccess({
    latencyMs: outcome.latencyMs,
    ttftMs: outcome.ttftMs,
    promptTokens: outcome.usage.promptTokens,
    completionTokens: outcome.usage.completionTokens,
    cost: outcome.cost,
  });
  if (outcome.cost.amount !== 0) {
    runtime.sessionCost[outcome.cost.currency] = addAmounts(
      runtime.sessionCost[outcome.cost.currency] ?? 0,
      outcome.cost.amount,
    );
  }
  context.attempts.push({
    provider: provider.name,
    model: provider.model,
    outcome: 'success',
    retry: outcome.retry,
    latencyMs: outcome.latencyMs,
  });
  if (runtime.usage.enabled) {
    runtime.usage.deliver({
      ...usageBase(context, provider, outcome),
      promptTokens: outcome.usage.promptTokens,
      completionTokens: outcome.usage.completionTokens,
      totalTokens: outcome.usage.totalTokens,
      ...(outcome.usage.cacheReadTokens !== undefined && { cacheReadTokens: outcome.usage.cacheReadTokens }),
      ...(outcome.usage.cacheWriteTokens !== undefined && {
        cacheWriteTokens: outcome.usage.cacheWriteTokens,
      }),
      estimated: outcome.usage.estimated,
      cost: outcome.cost.amount,
      currency: outcome.cost.currency,
      costKnown: outcome.cost.known,
      success: true,
    });
  }
  if (runtime.events.has('attempt-end'))
    runtime.events.emit('attempt-end', {
      requestId: context.requestId,
      streaming: context.streaming,
      provider: provider.name,
      model: provider.model,
      retry: outcome.retry,
      latencyMs: outcome.latencyMs,
      ttftMs: outcome.ttftMs,
      usage: outcome.usage,
      cost: { amount: outcome.cost.amount, currency: outcome.cost.currency },
      ...attemptAnswer(outcome.finishReason, outcome.response),
    });
  log(runtime, 'info', 'llm_request_completed', {
    request_id: context.requestId,
    provider: provider.name,
    model: provider.model,
    latency_ms: outcome.latencyMs,
    ttft_ms: outcome.ttftMs,
    streaming: context.streaming,
    success: true,
    prompt_tokens: outcome.usage.promptTokens,
    completion_tokens: outcome.usage.completionTokens,
    total_tokens: outcome.usage.totalTokens,
    tokens_estimated: outcome.usage.estimated,
    cost: outcome.cost.amount,
    currency: outcome.cost.currency,
  });
}

/**
 * Records one failed try on the turn's provider state. Caller faults are counted but never hurt the
 * provider's health; the turn's circuit verdict is given once, by whoever ends the turn (`endTurn`).
 */
export function recordError(
  runtime: RouterRuntime,
  context: RequestContext,
  turn: ProviderTurn,
  judged: { error: ProviderError; fault: Fault },
  outcome: {
    retry: number;
    latencyMs: number;
    ttftMs?: number;
    willRetry: boolean;
    delayMs?: number;
    /**
     * What the attempt consumed although it failed: a stream that broke off or was stopped after it began
     * answering (estimated from the prompt and the text streamed). Without it the record has no tokens.
     */
    consumed?: { usage: TokenUsage; cost: { amount: number; currency: string; known: boolean } };
  },
): void {
  const { provider, state } = turn;
  const { error } = judged;
  state.metrics.recordError({ kind: error.kind, callerError: judged.fault === 'caller' });
  context.attempts.push({
    provider: provider.name,
    model: provider.model,
    outcome: 'error',
    errorKind: error.kind,
    errorMessage: error.message,
    retry: outcome.retry,
    latencyMs: outcome.latencyMs,
  });
  if (runtime.usage.enabled) {
    const pricing = runtime.pricingFor(provider);
    const consumed = outcome.consumed;
    runtime.usage.deliver({
      ...usageBase(context, provider, outcome),
      promptTokens: consumed?.usage.promptTokens ?? 0,
      completionTokens: consumed?.usage.completionTokens ?? 0,
      totalTokens: consumed?.usage.totalTokens ?? 0,
      estimated: consumed?.usage.estimated ?? false,
      cost: consumed?.cost.amount ?? 0,
      currency: consumed?.cost.currency ?? pricing?.currency ?? 'USD',
      costKnown: consumed?.cost.known ?? pricing !== undefined,
      success: false,
      errorType: error.name,
      errorKind: error.kind,
    });
  }
  runtime.events.emit('attempt-error', {
    requestId: context.requestId,
    streaming: context.streaming,
    provider: provider.name,
    model: provider.model,
    retry: outcome.retry,
    errorKind: error.kind,
    ...(error.code !== undefined && { errorCode: error.code }),
    callerFault: judged.fault === 'caller',
    status: error.status,
    latencyMs: outcome.latencyMs,
    willRetry: outcome.willRetry,
    delayMs: outcome.delayMs,
    ...(outcome.consumed && {
      usage: outcome.consumed.usage,
      cost: { amount: outcome.consumed.cost.amount, currency: outcome.consumed.cost.currency },
    }),
  });
  log(runtime, 'warn', 'llm_request_failed', {
    request_id: context.requestId,
    provider: provider.name,
    model: provider.model,
    latency_ms: outcome.latencyMs,
    streaming: context.streaming,
    success: false,
    error_type: error.name,
    error_kind: error.kind,
    status: error.status,
    will_retry: outcome.willRetry,
  });
}

/**
 * Hands a line to the application's logger. A logger that throws must not fail the request nor strand a
 * verdict: its error becomes a warning (and a warning handler that throws too is ignored).
 */
function log(
  runtime: RouterRuntime,
  level: 'info' | 'warn',
  message: string,
  fields: Record<string, unknown>,
): void {
  const logger = runtime.logger;
  if (!logger) return;
  try {
    logger[level]({ event: message, ...fields }, message);
  } catch (error) {
    try {
      runtime.warn({ code: 'logger-failed', message: `The logger threw: ${String(error)}` });
    } catch {
      // Nothing left to tell.
    }
  }
}
