import type { ProviderUsage } from '@llmo/core/provider';
import type { AnthropicUsage } from './anthropic-api.js';
import { type AnthropicModelPricing, type AnthropicTokenCounts, anthropicCost } from './anthropic-pricing.js';

/** What `providerMetadata.anthropic` carries for a call's usage. */
export interface AnthropicUsageMetadata extends AnthropicTokenCounts {
  /** The exact cost with cache reads and writes at their own prices, when the model's price is known. */
  cost?: { amount: number; currency: string };
  /** The response's `anthropic-ratelimit-*` headers, without the prefix (`requests-remaining`: 999, …). */
  rateLimits?: Record<string, number | string>;
}

/**
 * Merges a later usage object over an earlier one: `message_delta.usage` is cumulative (overwrite, never
 * add), and fields it leaves out or sends as null keep their `message_start` values (pitfalls 8 and 14).
 */
export function mergeUsage(
  earlier: AnthropicUsage | undefined,
  later: AnthropicUsage | null | undefined,
): AnthropicUsage | undefined {
  if (!later) return earlier;
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later))
    if (value !== null && value !== undefined) merged[key] = value;
  return merged as AnthropicUsage;
}

export function tokenCounts(usage: AnthropicUsage): AnthropicTokenCounts {
  return {
    inputTokens: usage.input_tokens ?? 0,
    cacheCreationInputTokens: usage.cache_creation_input_tokens ?? 0,
    cacheCreation1hInputTokens: usage.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    cacheReadInputTokens: usage.cache_read_input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}

/**
 * Contract usage: `promptTokens` is every input token (uncached + cache writes + cache reads, the SDK's
 * "total input"), so context accounting and limits see the real prompt size.
 */
export function toProviderUsage(usage: AnthropicUsage | undefined): ProviderUsage | undefined {
  if (!usage || (usage.input_tokens == null && usage.output_tokens == null)) return undefined;
  const counts = tokenCounts(usage);
  const prompt = counts.inputTokens + counts.cacheCreationInputTokens + counts.cacheReadInputTokens;
  const result: ProviderUsage = {
    promptTokens: usage.input_tokens == null ? undefined : prompt,
    completionTokens: usage.output_tokens ?? undefined,
    totalTokens:
      usage.input_tokens == null || usage.output_tokens == null ? undefined : prompt + counts.outputTokens,
  };
  // Parts of promptTokens the Router prices at the cache prices (reported only when the wire has them).
  if (usage.cache_read_input_tokens != null) result.cacheReadTokens = counts.cacheReadInputTokens;
  if (usage.cache_creation_input_tokens != null) result.cacheWriteTokens = counts.cacheCreationInputTokens;
  return result;
}

export function usageMetadata(
  usage: AnthropicUsage | undefined,
  pricing: AnthropicModelPricing | undefined,
): { anthropic: AnthropicUsageMetadata } | undefined {
  if (!usage) return undefined;
  const counts = tokenCounts(usage);
  return {
    anthropic: {
      ...counts,
      ...(pricing ? { cost: { amount: anthropicCost(counts, pricing), currency: pricing.currency } } : {}),
    },
  };
}
