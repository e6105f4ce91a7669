import { addAmounts } from '../cost/resolve-pricing.js';
import { CALLER_KINDS } from '../errors/error-kind.js';
import type { ProviderError } from '../errors/provider-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import type { TokenUsage } from '../spec/token-usage.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';

/** The fields every usage record shares, success or failure. */
function usageBase(
  context: RequestContext,
  provider: ProviderV1,
  outcome: { retry: number; latencyMs: number; ttftMs?: number },
) {
  return {
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
 * Records one finished attempt everywhere it must go: the attempt list, provider metrics, session cost,
 * the usage sink, events and the logger. Written once for `route()` and `routeStream()`.
 */
export function recordSuccess(
  runtime: RouterRuntime,
  context: RequestContext,
  provider: ProviderV1,
  outcome: {
    retry: number;
    latencyMs: number;
    ttftMs?: number;
    usage: TokenUsage;
    cost: { amount: number; currency: string };
  },
): void {
  const { metrics, breaker } = runtime.stateFor(provider);
  metrics.recordSuccess({
    latencyMs: outcome.latencyMs,
    ttftMs: outcome.ttftMs,
    promptTokens: outcome.usage.promptTokens,
    completionTokens: outcome.usage.completionTokens,
    cost: outcome.cost,
  });
  breaker?.onSuccess();
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
      estimated: outcome.usage.estimated,
      cost: outcome.cost.amount,
      currency: outcome.cost.currency,
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
      cost: outcome.cost,
    });
  runtime.logger?.info(
    {
      event: 'llm_request_completed',
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
    },
    'llm_request_completed',
  );
}

/** Records a failed attempt. Caller errors are counted but do not hurt the provider's health. */
export function recordError(
  runtime: RouterRuntime,
  context: RequestContext,
  provider: ProviderV1,
  error: ProviderError,
  outcome: { retry: number; latencyMs: number; ttftMs?: number; willRetry: boolean; delayMs?: number },
): void {
  const { metrics } = runtime.stateFor(provider);
  metrics.recordError({ kind: error.kind, callerError: CALLER_KINDS.has(error.kind) });
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
    runtime.usage.deliver({
      ...usageBase(context, provider, outcome),
      promptTokens: 0,
      completionTokens: 0,
      totalTokens: 0,
      estimated: false,
      cost: 0,
      currency: runtime.pricingFor(provider)?.currency ?? 'USD',
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
    status: error.status,
    latencyMs: outcome.latencyMs,
    willRetry: outcome.willRetry,
    delayMs: outcome.delayMs,
  });
  runtime.logger?.warn(
    {
      event: 'llm_request_failed',
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
    },
    'llm_request_failed',
  );
}
