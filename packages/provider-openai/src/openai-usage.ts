import type { ProviderUsage } from '@llmo/core/provider';
import type { OpenAIUsage } from './openai-api.js';

export function toProviderUsage(usage: OpenAIUsage | null | undefined): ProviderUsage | undefined {
  if (!usage) return undefined;
  return {
    promptTokens: usage.prompt_tokens ?? undefined,
    completionTokens: usage.completion_tokens ?? undefined,
    totalTokens: usage.total_tokens ?? undefined,
  };
}
