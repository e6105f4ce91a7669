import type { ProviderUsage } from '@llmo/core/provider';
import type { BedrockUsage } from './bedrock-api.js';

/**
 * Contract usage from Converse `usage` (`TokenUsage`). `inputTokens` excludes cache reads and writes (they are
 * reported beside it, as on the Anthropic API), so `promptTokens` adds them: the real prompt size.
 */
export function toProviderUsage(usage: BedrockUsage | null | undefined): ProviderUsage | undefined {
  if (!usage || (usage.inputTokens == null && usage.outputTokens == null)) return undefined;
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const cacheWrite = usage.cacheWriteInputTokens ?? 0;
  const prompt = usage.inputTokens == null ? undefined : usage.inputTokens + cacheRead + cacheWrite;
  const result: ProviderUsage = {
    promptTokens: prompt,
    completionTokens: usage.outputTokens ?? undefined,
    totalTokens:
      prompt !== undefined && usage.outputTokens != null
        ? prompt + usage.outputTokens
        : (usage.totalTokens ?? undefined),
  };
  if (usage.cacheReadInputTokens != null) result.cacheReadTokens = cacheRead;
  if (usage.cacheWriteInputTokens != null) result.cacheWriteTokens = cacheWrite;
  return result;
}
