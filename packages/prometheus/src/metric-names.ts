/** Metric names and help texts. The first five are the seed's, with its labels. */
export const METRICS = {
  requests: 'llm_requests_total',
  latency: 'llm_request_latency_seconds',
  tokens: 'llm_tokens_total',
  cost: 'llm_cost_total',
  health: 'llm_provider_health',
  ttft: 'llm_time_to_first_token_seconds',
  errors: 'llm_errors_total',
  retries: 'llm_retries_total',
  fallbacks: 'llm_fallbacks_total',
  routes: 'llm_routes_total',
  circuit: 'llm_circuit_breaker_state',
  usageUndelivered: 'llm_usage_records_undelivered_total',
} as const;

/** The seed's latency buckets, in seconds. */
export const LATENCY_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60];
/** Time to first token is shorter than a whole answer: finer buckets at the low end. */
export const TTFT_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10];

/** `llm_provider_health`: 1 healthy, 0.5 degraded, 0 unhealthy. */
export const HEALTH_VALUE = { healthy: 1, degraded: 0.5, unhealthy: 0 } as const;
/** `llm_circuit_breaker_state`: 0 closed, 1 half-open, 2 open. */
export const CIRCUIT_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;
