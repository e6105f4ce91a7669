import type { RouteResult } from '@llmo/core';

/**
 * `x-llmo-*` response headers: who answered, after how many attempts, at what cost. A stream's headers leave
 * after its first part, when only the provider and model are known (`x-llmo-provider`, `x-llmo-model`, set in
 * sse-response.ts); its last event carries all of it.
 */
export function llmoHeaders(requestId: string, result?: RouteResult): Record<string, string> {
  const headers: Record<string, string> = { 'x-request-id': requestId };
  if (!result) return headers;
  headers['x-llmo-provider'] = result.provider;
  headers['x-llmo-model'] = result.model;
  headers['x-llmo-attempts'] = String(result.attempts.length);
  headers['x-llmo-cost'] = `${result.cost.known ? result.cost.amount : 'unknown'} ${result.cost.currency}`;
  headers['x-llmo-latency-ms'] = String(Math.round(result.latencyMs));
  return headers;
}

/** The same, as a JSON object for a stream's last event. */
export function llmoSummary(result: RouteResult) {
  return {
    provider: result.provider,
    model: result.model,
    attempts: result.attempts.length,
    cost: { amount: result.cost.amount, currency: result.cost.currency, known: result.cost.known },
    latency_ms: Math.round(result.latencyMs),
  };
}
