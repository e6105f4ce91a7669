import { type CallWarning, type GenerateResult, ProviderError, readJsonResponse } from '@llmo/core/provider';
import { type GeminiResponse, generateContentResponseSchema } from './gemini-api.js';
import type { GeminiToolCallMemory } from './gemini-messages.js';
import type { GeminiModelPricing } from './gemini-pricing.js';
import {
  blockedAnswerError,
  blockedPromptError,
  candidatePieces,
  safetyRatings,
  ToolCallIds,
} from './gemini-response.js';
import { type GeminiCallMetadata, toProviderUsage, usageMetadata } from './gemini-usage.js';
import { BLOCKING_FINISH_REASONS, mapGeminiFinishReason } from './map-gemini-finish-reason.js';

export interface GeminiGenerateContext {
  provider: string;
  requestId?: string;
  pricing?: GeminiModelPricing;
  memory?: GeminiToolCallMemory;
  /** Ids for calls without one when the response has no `responseId`. */
  fallbackIdPrefix: () => string;
  warnings: CallWarning[];
}

/**
 * A `generateContent` response → the contract's result: a blocked prompt and an answer blocked before any
 * of it was produced are `content_filter` errors, no candidate at all is `invalid_response` (pitfall 10),
 * usage and the finish/block details go to `providerMetadata.gemini`. Shared by `createGemini` and the
 * Vertex provider (`@llmo/provider-gemini/protocol`), which receive the same body.
 */
export function geminiGenerateResult(json: GeminiResponse, context: GeminiGenerateContext): GenerateResult {
  const { provider: name, requestId, memory, pricing } = context;
  const blocked = blockedPromptError(json, name, requestId);
  if (blocked) throw blocked;
  // Pitfall 10: no candidate at all (and no block reason) is a broken answer, not an empty one.
  const candidate = json.candidates?.[0];
  if (!candidate) {
    throw new ProviderError({
      kind: 'invalid_response',
      provider: name,
      requestId,
      message: `${name}: the response has no candidates`,
    });
  }
  const ids = new ToolCallIds(json.responseId, context.fallbackIdPrefix);
  const pieces = candidatePieces(candidate, ids, memory);
  const reason = candidate.finishReason ?? undefined;
  const blocking = reason !== undefined && BLOCKING_FINISH_REASONS.has(reason);
  if (blocking && pieces.length === 0) throw blockedAnswerError(candidate, name, requestId);
  const text = pieces.map((p) => p.text ?? '').join('');
  const toolCalls = pieces.flatMap((p) => (p.call ? [p.call] : []));
  const metadata: GeminiCallMetadata = {
    ...usageMetadata(json.usageMetadata, pricing),
    finishReason: reason,
    finishMessage: candidate.finishMessage ?? undefined,
    blockReason: blocking ? reason : undefined,
    safetyRatings: safetyRatings(candidate.safetyRatings),
    modelVersion: json.modelVersion ?? undefined,
  };
  for (const key of Object.keys(metadata) as (keyof GeminiCallMetadata)[])
    if (metadata[key] === undefined) delete metadata[key];
  return {
    text,
    toolCalls: toolCalls.length ? toolCalls : undefined,
    finishReason: mapGeminiFinishReason(reason, toolCalls.length > 0),
    usage: toProviderUsage(json.usageMetadata),
    warnings: context.warnings,
    response: { id: json.responseId ?? undefined, model: json.modelVersion ?? undefined, requestId },
    providerMetadata: { gemini: metadata },
  };
}

/** Reads a `generateContent` response body (`invalid_response` when it is not one) and maps it. */
export async function readGeminiGenerateResult(
  response: Response,
  context: GeminiGenerateContext & { signal?: AbortSignal },
): Promise<GenerateResult> {
  const json = await readJsonResponse(response, generateContentResponseSchema, {
    provider: context.provider,
    what: 'generateContent response',
    signal: context.signal,
  });
  return geminiGenerateResult(json, context);
}
