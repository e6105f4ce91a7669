import type { ProviderUsage } from '@llmo/core/provider';
import type { OpenAIUsage } from './openai-api.js';

export function toProviderUsage(usage: OpenAIUsage | null | undefined): ProviderUsage | undefined {
  if (!usage) return undefined;
  const result: ProviderUsage = {
    promptTokens: usage.prompt_tokens ?? undefined,
    completionTokens: usage.completion_tokens ?? undefined,
    totalTokens: usage.total_tokens ?? undefined,
  };
  // A subset of prompt_tokens (protocol note), priced at the model's cached-input price.
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (cached != null) result.cacheReadTokens = cached;
  return result;
}
