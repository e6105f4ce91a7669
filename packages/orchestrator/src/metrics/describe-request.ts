import { ResponseValidationError } from '../errors/response-validation-error.js';
import type { ProcessResult } from '../orchestrator-options.js';
import type { RequestEndEvent } from './request-end-event.js';

/** The event for a request that returned. Hits spend nothing; their retries were counted when they were made. */
export function successEvent(result: ProcessResult): RequestEndEvent {
  return {
    type: 'request-end',
    requestId: result.requestId,
    taskType: result.taskType,
    ...(result.template ? { template: result.template } : {}),
    provider: result.provider,
    model: result.model,
    status: 'success',
    cache: result.cache,
    latencyMs: result.latencyMs,
    promptTokens: result.usage.promptTokens,
    completionTokens: result.usage.completionTokens,
    ...(result.cost.amount > 0
      ? { cost: { amount: result.cost.amount, currency: result.cost.currency } }
      : {}),
    ...(result.savedCost ? { savedCost: result.savedCost } : {}),
    validationRetries: result.cacheHit ? 0 : result.validationRetries,
    usedDefault: result.selection.usedDefault,
  };
}

/** The event for a request that threw: an answer that never validated names its provider and model. */
export function failureEvent(
  requestId: string,
  taskType: string,
  latencyMs: number,
  error: unknown,
): RequestEndEvent {
  const asks = ResponseValidationError.isInstance(error) ? error.attempts : [];
  const last = asks.at(-1);
  return {
    type: 'request-end',
    requestId,
    taskType,
    ...(last ? { provider: last.provider, model: last.model } : {}),
    status: 'error',
    errorType: (error as { name?: string })?.name ?? 'Error',
    cache: 'off',
    latencyMs,
    promptTokens: 0,
    completionTokens: 0,
    validationRetries: Math.max(0, asks.length - 1),
    usedDefault: false,
  };
}

/**
 * The log line's fields (snake_case, as the router's): ids, task, template, provider, model, cache, latency,
 * tokens, cost, retries, and for failures the error's name and code. Never prompts, answers or keys.
 */
export function logFields(
  event: RequestEndEvent,
  extra: { routerRequestId?: string; currency?: string; error?: unknown },
): Record<string, unknown> {
  const code = (extra.error as { code?: unknown } | undefined)?.code;
  const fields: Record<string, unknown> = {
    request_id: event.requestId,
    router_request_id: extra.routerRequestId,
    task_type: event.taskType,
    template_id: event.template?.id,
    template_version: event.template?.version,
    provider: event.provider,
    model: event.model,
    cache: event.status === 'success' ? event.cache : undefined,
    latency_ms: event.latencyMs,
    prompt_tokens: event.status === 'success' ? event.promptTokens : undefined,
    completion_tokens: event.status === 'success' ? event.completionTokens : undefined,
    cost: event.status === 'success' ? (event.cost?.amount ?? 0) : undefined,
    currency: event.cost?.currency ?? extra.currency,
    validation_retries: event.validationRetries,
    success: event.status === 'success',
    error_type: event.errorType,
    error_code: typeof code === 'string' ? code : undefined,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}
