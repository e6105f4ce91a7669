import type { RouteResult } from '@llmo/core';
import type { JSONObject } from './ai-sdk-types.js';
import { toJsonObject } from './spec-dialect.js';

/**
 * What the router knows about an answer, under `providerMetadata.llmo`: who answered, what it cost, the
 * estimate flag on the usage, and every attempt on the way (provider, outcome, error kind, latency).
 */
export function toLlmoMetadata(result: RouteResult): { llmo: JSONObject } {
  return {
    llmo: toJsonObject({
      requestId: result.requestId,
      provider: result.provider,
      model: result.model,
      finishReason: result.finishReason,
      cost: result.cost,
      latencyMs: result.latencyMs,
      ttftMs: result.ttftMs,
      usage: result.usage,
      attempts: result.attempts,
    }),
  };
}
