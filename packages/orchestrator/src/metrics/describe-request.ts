import { spendBefore } from '../ask-until-valid.js';
import type { CacheStatus } from '../cache/cache-status.js';
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

/** How far a request got before it failed: what its failure event and log line can say. */
export interface RequestProgress {
  template?: { id: string; version: string };
  /** `miss` when it ran a shared run itself, `coalesced` when it waited on another's, else `off`. */
  cache: CacheStatus;
  usedDefault: boolean;
}

/**
 * The event for a request that threw: an answer that never validated names its provider and model, and what
 * the asks spent (tokens, cost, re-asks) is counted, so spend never vanishes from the metrics on failure. A
 * caller that waited on another's run spent nothing and re-asked nothing: the run's owner counts them once.
 */
export function failureEvent(
  requestId: string,
  taskType: string,
  latencyMs: number,
  error: unknown,
  progress: RequestProgress = { cache: 'off', usedDefault: false },
): RequestEndEvent {
  const answers = ResponseValidationError.isInstance(error) ? error.attempts : [];
  const last = answers.at(-1);
  const owner = progress.cache !== 'coalesced';
  const spend = owner ? spendBefore(error) : undefined;
  return {
    type: 'request-end',
    requestId,
    taskType,
    ...(progress.template ? { template: progress.template } : {}),
    ...(last ? { provider: last.provider, model: last.model } : {}),
    status: 'error',
    errorType: (error as { name?: string })?.name ?? 'Error',
    cache: progress.cache,
    latencyMs,
    promptTokens: spend?.usage.promptTokens ?? 0,
    completionTokens: spend?.usage.completionTokens ?? 0,
    ...(spend && spend.cost.amount > 0
      ? { cost: { amount: spend.cost.amount, currency: spend.cost.currency } }
      : {}),
    validationRetries: owner ? Math.max(0, (spend?.asks ?? answers.length) - 1) : 0,
    usedDefault: progress.usedDefault,
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
    cache: event.cache,
    latency_ms: event.latencyMs,
    prompt_tokens: event.promptTokens,
    completion_tokens: event.completionTokens,
    cost: event.cost?.amount ?? 0,
    currency: event.cost?.currency ?? extra.currency,
    validation_retries: event.validationRetries,
    success: event.status === 'success',
    error_type: event.errorType,
    error_code: typeof code === 'string' ? code : undefined,
  };
  for (const key of Object.keys(fields)) if (fields[key] === undefined) delete fields[key];
  return fields;
}
