import type { ChatMessage } from '../spec/chat-message.js';
import type { ProviderUsage, TokenUsage } from '../spec/token-usage.js';
import { estimatePromptTokens, estimateTokens } from './estimate-tokens.js';

/**
 * Complete token counts for a result: what the provider reported first; a missing part is estimated and
 * the whole marked `estimated` (never silently mixed with reported numbers).
 */
export function resolveUsage(
  reported: ProviderUsage | undefined,
  messages: readonly ChatMessage[],
  completionText: string,
): TokenUsage {
  let prompt = reported?.promptTokens;
  let completion = reported?.completionTokens;
  const total = reported?.totalTokens;
  if (prompt === undefined && completion !== undefined && total !== undefined) prompt = total - completion;
  if (completion === undefined && prompt !== undefined && total !== undefined) completion = total - prompt;
  const estimated = prompt === undefined || completion === undefined;
  prompt ??= estimatePromptTokens(messages);
  completion ??= estimateTokens(completionText);
  const usage: TokenUsage = {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: prompt + completion,
    estimated,
  };
  if (reported?.cacheReadTokens !== undefined) usage.cacheReadTokens = reported.cacheReadTokens;
  if (reported?.cacheWriteTokens !== undefined) usage.cacheWriteTokens = reported.cacheWriteTokens;
  return usage;
}
