import { computeCost } from '../cost/resolve-pricing.js';
import { resolveUsage } from '../cost/resolve-usage.js';
import { ProviderError } from '../errors/provider-error.js';
import { RouteFailedError } from '../errors/route-failed-error.js';
import { StreamInterruptedError } from '../errors/stream-interrupted-error.js';
import type { GenerateResult, ProviderV1 } from '../spec/provider-v1.js';
import { recordSuccess } from './attempt-recorder.js';
import { endTurn } from './provider-turn.js';
import type { RouteResult } from './route-result.js';
import type { RequestContext, RouterRuntime } from './router-runtime.js';
import { type AttemptSuccess, runAttempts } from './run-attempts.js';

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
    errorKind:
      RouteFailedError.isInstance(error) ||
      StreamInterruptedError.isInstance(error) ||
      ProviderError.isInstance(error)
        ? error.kind
        : undefined,
    ...routeEndCounts(context),
  });
}

/** A result that breaks the contract is a malformed answer (a provider fault, retried once), not a crash. */
function checkResult(provider: ProviderV1, value: GenerateResult): void {
  const v = value as Partial<GenerateResult> | undefined;
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.text !== 'string' ||
    (v.usage !== undefined && (typeof v.usage !== 'object' || v.usage === null)) ||
    (v.toolCalls !== undefined && !Array.isArray(v.toolCalls))
  ) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: provider.name,
      message: `${provider.name}: generate() returned something that is not a result ({ text, finishReason, usage? })`,
    });
  }
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
  const success = await runAttempts(
    runtime,
    context,
    order,
    timeoutMs,
    (provider, scope) => provider.generate({ ...context.request, signal: scope.signal }),
    checkResult,
  );
  success.scope.dispose();
  try {
    return finishGenerate(runtime, context, success);
  } catch (error) {
    // Nothing after the answer may strand the turn's permit (one already given ignores this).
    endTurn(success.turn, 'caller-fault');
    throw error;
  }
}

function finishGenerate(
  runtime: RouterRuntime,
  context: RequestContext,
  success: AttemptSuccess<GenerateResult>,
): RouteResult {
  const { turn, value } = success;
  const { provider } = turn;
  const latencyMs = performance.now() - success.startedAt;
  const usage = resolveUsage(value.usage, context.request.messages, value.text);
  const cost = computeCost(usage, runtime.pricingFor(provider));
  recordSuccess(runtime, context, turn, {
    retry: success.retry,
    latencyMs,
    usage,
    cost,
    finishReason: value.finishReason,
    response: value.response,
  });
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
