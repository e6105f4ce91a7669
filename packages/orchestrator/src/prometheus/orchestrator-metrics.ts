import { Counter, register as defaultRegistry, Histogram, type Registry } from 'prom-client';
import type { RequestEndEvent } from '../metrics/request-end-event.js';
import type { Orchestrator } from '../orchestrator.js';

/**
 * The seed's metrics with a task label. The names differ from @llmo/prometheus's (`llm_requests_total` is the
 * router's, per provider attempt) so both can live in one registry: these count `process()` calls.
 */
export const ORCHESTRATOR_METRICS = {
  requests: 'llm_task_requests_total',
  latency: 'llm_task_latency_seconds',
  tokens: 'llm_task_tokens_total',
  cost: 'llm_task_cost_total',
  cacheHits: 'llm_task_cache_hits_total',
  cacheMisses: 'llm_task_cache_misses_total',
  savedCost: 'llm_task_cache_saved_cost_total',
  errors: 'llm_task_errors_total',
  validationRetries: 'llm_task_validation_retries_total',
} as const;

/** The router's latency buckets (seconds), so task and provider latencies compare on one dashboard. */
const LATENCY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60];

export interface OrchestratorMetricsOptions {
  /** Default: prom-client's global registry. */
  registry?: Registry;
}

/** Get-or-create, so several orchestrators (or a hot reload) share one registry without "already registered". */
function metric<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Counts an orchestrator's requests in Prometheus: requests by task, model and status; latency by task and
 * model; tokens by task, model and type; cost per task and currency; cache hits, misses and saved cost by
 * task; errors by task, model and error type; validation retries by task. Returns `close()` to stop.
 *
 * @example
 * const metrics = registerOrchestratorMetrics(orchestrator, { registry });
 */
export function registerOrchestratorMetrics(
  orchestrator: Pick<Orchestrator, 'on'>,
  options: OrchestratorMetricsOptions = {},
): { registry: Registry; close(): void } {
  const registry = options.registry ?? defaultRegistry;
  const registers = [registry];
  const M = ORCHESTRATOR_METRICS;
  const requests = metric(
    registry,
    M.requests,
    () =>
      new Counter({
        name: M.requests,
        help: 'Orchestrator requests by task, model and status',
        labelNames: ['task_type', 'model', 'status'] as const,
        registers,
      }),
  );
  const latency = metric(
    registry,
    M.latency,
    () =>
      new Histogram({
        name: M.latency,
        help: 'Orchestrator request latency in seconds (cache hits included)',
        labelNames: ['task_type', 'model'] as const,
        buckets: LATENCY_BUCKETS,
        registers,
      }),
  );
  const tokens = metric(
    registry,
    M.tokens,
    () =>
      new Counter({
        name: M.tokens,
        help: 'Tokens spent by task, model and type (prompt, completion)',
        labelNames: ['task_type', 'model', 'type'] as const,
        registers,
      }),
  );
  const cost = metric(
    registry,
    M.cost,
    () =>
      new Counter({
        name: M.cost,
        help: 'Cost spent by task, per currency',
        labelNames: ['task_type', 'currency'] as const,
        registers,
      }),
  );
  const hits = metric(
    registry,
    M.cacheHits,
    () =>
      new Counter({
        name: M.cacheHits,
        help: 'Answers served from the cache (kind hit or semantic) or shared with an identical request in flight (coalesced), by task',
        labelNames: ['task_type', 'kind'] as const,
        registers,
      }),
  );
  const misses = metric(
    registry,
    M.cacheMisses,
    () =>
      new Counter({
        name: M.cacheMisses,
        help: 'Cacheable requests that reached a provider, by task',
        labelNames: ['task_type'] as const,
        registers,
      }),
  );
  const saved = metric(
    registry,
    M.savedCost,
    () =>
      new Counter({
        name: M.savedCost,
        help: 'Cost the cache saved, by task and currency',
        labelNames: ['task_type', 'currency'] as const,
        registers,
      }),
  );
  const errors = metric(
    registry,
    M.errors,
    () =>
      new Counter({
        name: M.errors,
        help: 'Failed orchestrator requests by task, model and error type',
        labelNames: ['task_type', 'model', 'error_type'] as const,
        registers,
      }),
  );
  const retries = metric(
    registry,
    M.validationRetries,
    () =>
      new Counter({
        name: M.validationRetries,
        help: 'Re-asks after an answer failed to parse or validate, by task',
        labelNames: ['task_type'] as const,
        registers,
      }),
  );

  const record = (e: RequestEndEvent) => {
    const task = e.taskType;
    const model = e.model ?? 'none';
    requests.inc({ task_type: task, model, status: e.status });
    latency.observe({ task_type: task, model }, e.latencyMs / 1000);
    if (e.promptTokens > 0) tokens.inc({ task_type: task, model, type: 'prompt' }, e.promptTokens);
    if (e.completionTokens > 0)
      tokens.inc({ task_type: task, model, type: 'completion' }, e.completionTokens);
    if (e.cost && e.cost.amount > 0) cost.inc({ task_type: task, currency: e.cost.currency }, e.cost.amount);
    if (e.cache === 'hit' || e.cache === 'semantic' || e.cache === 'coalesced')
      hits.inc({ task_type: task, kind: e.cache });
    else if (e.cache === 'miss') misses.inc({ task_type: task });
    if (e.savedCost && e.savedCost.amount > 0)
      saved.inc({ task_type: task, currency: e.savedCost.currency }, e.savedCost.amount);
    if (e.status === 'error') errors.inc({ task_type: task, model, error_type: e.errorType ?? 'Error' });
    if (e.validationRetries > 0) retries.inc({ task_type: task }, e.validationRetries);
  };
  const off = orchestrator.on('request-end', record);
  return { registry, close: off };
}
