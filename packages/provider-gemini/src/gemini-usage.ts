import type { ProviderUsage } from '@llmo/core/provider';
import type { GeminiUsageMetadata } from './gemini-api.js';
import { type GeminiModelPricing, type GeminiTokenCounts, geminiCost } from './gemini-pricing.js';

/** What `providerMetadata.gemini` carries for a call. */
export interface GeminiCallMetadata extends Partial<GeminiTokenCounts> {
  /** The exact cost (cache reads, thinking, the long-context tier), when the model's price is known. */
  cost?: { amount: number; currency: string };
  /** The wire `finishReason` (`STOP`, `SAFETY`, `MAX_TOKENS`…). */
  finishReason?: string;
  finishMessage?: string;
  /** Why the prompt or the answer was blocked (`promptFeedback.blockReason`, or a blocking finishReason). */
  blockReason?: string;
  /** The candidate's (or the prompt's) safety ratings, when the API sent them. */
  safetyRatings?: { category?: string | null; probability?: string | null; blocked?: boolean | null }[];
  /** `modelVersion`: the model that answered. */
  modelVersion?: string;
}

export function tokenCounts(usage: GeminiUsageMetadata): GeminiTokenCounts {
  return {
    promptTokens: usage.promptTokenCount ?? 0,
    cachedTokens: usage.cachedContentTokenCount ?? 0,
    toolUsePromptTokens: usage.toolUsePromptTokenCount ?? 0,
    candidatesTokens: usage.candidatesTokenCount ?? 0,
    thoughtsTokens: usage.thoughtsTokenCount ?? 0,
  };
}

/**
 * Contract usage from `usageMetadata`: `completionTokens` counts the answer **and** the thinking
 * (`candidatesTokenCount` excludes `thoughtsTokenCount`, pitfall 7, and thinking is billed as output);
 * `promptTokens` includes built-in tool-use prompt tokens. `totalTokens` is the API's `totalTokenCount`,
 * which already includes thinking. A stream's chunks carry running totals: pass the last, never a sum
 * (pitfall 6).
 */
export function toProviderUsage(usage: GeminiUsageMetadata | null | undefined): ProviderUsage | undefined {
  if (!usage) return undefined;
  const hasPrompt = usage.promptTokenCount != null;
  const hasOutput = usage.candidatesTokenCount != null || usage.thoughtsTokenCount != null;
  if (!hasPrompt && !hasOutput && usage.totalTokenCount == null) return undefined;
  const counts = tokenCounts(usage);
  const prompt = counts.promptTokens + counts.toolUsePromptTokens;
  const completion = counts.candidatesTokens + counts.thoughtsTokens;
  const result: ProviderUsage = {
    promptTokens: hasPrompt ? prompt : undefined,
    // A blocked prompt reports no candidates at all: nothing was generated.
    completionTokens: hasOutput || hasPrompt ? completion : undefined,
    totalTokens: usage.totalTokenCount ?? (hasPrompt ? prompt + completion : undefined),
  };
  // The part of the prompt read from a context cache: the Router prices it at `cacheReadPer1K`.
  if (usage.cachedContentTokenCount != null) result.cacheReadTokens = counts.cachedTokens;
  return result;
}

/** The token counts and exact cost for `providerMetadata.gemini`. */
export function usageMetadata(
  usage: GeminiUsageMetadata | null | undefined,
  pricing: GeminiModelPricing | undefined,
): GeminiCallMetadata {
  if (!usage) return {};
  const counts = tokenCounts(usage);
  return {
    ...counts,
    ...(pricing ? { cost: { amount: geminiCost(counts, pricing), currency: pricing.currency } } : {}),
  };
}
