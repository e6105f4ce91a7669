import { computeCost } from '../cost/resolve-pricing.js';
import { resolveUsage } from '../cost/resolve-usage.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import type { ProviderV1 } from '../spec/provider-v1.js';
import { recordSuccess } from './attempt-recorder.js';
import type { RouteResult } from './route-result.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { runAttempts } from './run-attempts.js';

/** Summary fields of `route-end` from the attempt list. */
export function routeEndCounts(context: RequestContext): {
  attempts: number;
  fallbacks: number;
  retries: number;
} {
  const tried = context.attempts.filter((a) => a.outcome !== 'skipped');
  const providers = new Set(context.attempts.map((a) => a.provider));
  const last = context.attempts.at(-1);
  const fallbacks = Math.max(0, providers.size - (last?.outcome === 'success' ? 1 : 0));
  return { attempts: tried.length, fallbacks, retries: tried.filter((a) => a.retry > 0).length };
}

export function emitRouteFailure(runtime: RouterRuntime, context: RequestContext, error: unknown): void {
  runtime.events.emit('route-end', {
    requestId: context.requestId,
    streaming: context.streaming,
    success: false,
    latencyMs: performance.now() - context.startedAt,
    errorKind: RouteFailedError.isInstance(error) ? error.kind : undefined,
    ...routeEndCounts(context),
  });
}

/**
 * `route()`: one non-streaming call through the fallback loop. Emits `route-end` on success; on failure it
 * throws and the router emits `route-end` (one place for every way a request can fail).
 */
export async function executeGenerate(
  runtime: RouterRuntime,
  context: RequestContext,
  order: readonly ProviderV1[],
): Promise<RouteResult> {
  const timeoutMs = context.options.timeoutMs ?? runtime.timeoutMs;
  const success = await runAttempts(runtime, context, order, timeoutMs, (provider, scope) =>
    provider.generate({ ...context.request, signal: scope.signal }),
  );
  success.scope.dispose();
  const { turn, value } = success;
  const { provider } = turn;
  const latencyMs = performance.now() - success.startedAt;
  const usage = resolveUsage(value.usage, context.request.messages, value.text);
  const cost = computeCost(usage, runtime.pricingFor(provider));
  recordSuccess(runtime, context, turn, { retry: success.retry, latencyMs, usage, cost });
  const result: RouteResult = {
    requestId: context.requestId,
    text: value.text,
    toolCalls: value.toolCalls ?? [],
    provider: provider.name,
    model: provider.model,
    usage,
    cost,
    finishReason: value.finishReason,
    latencyMs: performance.now() - context.startedAt,
    attempts: context.attempts,
    warnings: value.warnings ?? [],
    response: value.response,
    providerMetadata: value.providerMetadata,
  };
  if (runtime.events.has('route-end'))
    runtime.events.emit('route-end', {
      requestId: context.requestId,
      streaming: false,
      success: true,
      provider: provider.name,
      model: provider.model,
      latencyMs: result.latencyMs,
      ...routeEndCounts(context),
    });
  return result;
}
