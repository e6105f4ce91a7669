import type { RouteResult } from '@llmo/core';
import type { JSONObject } from './ai-sdk-types.js';
import { toJsonObject } from './spec-dialect.js';

/**
 * The `providerMetadata` of an answer: the answering provider's own metadata, as it gave it (`{ openai: {
 * reasoningTokens… } }`, what an AI SDK app reads when it calls that provider directly), plus what the router
 * knows under `llmo`: who answered, what it cost, the estimate flag on the usage, and every attempt on the way
 * (provider, outcome, error kind, latency). `llmo` wins over a provider key of the same name.
 */
export function toProviderMetadata(result: RouteResult): Record<string, JSONObject> & { llmo: JSONObject } {
  return {
    ...ownMetadata(result.providerMetadata),
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

/**
 * The provider's metadata as the AI SDK types it (each key a JSON object). A key whose value is not an
 * object, or cannot be JSON (a cycle, a BigInt), is left out rather than failing an answer that arrived.
 */
function ownMetadata(metadata: Record<string, unknown> | undefined): Record<string, JSONObject> {
  const out: Record<string, JSONObject> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    try {
      out[key] = toJsonObject(value);
    } catch {
      // not JSON-safe: left out (see above)
    }
  }
  return out;
}
