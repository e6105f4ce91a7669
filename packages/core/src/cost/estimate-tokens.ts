import type { ChatMessage } from '../spec/chat-message.js';

/**
 * A rough token count for when a provider reports none: about 4 characters per token for ASCII text and
 * 2 for other scripts (Cyrillic and CJK tokenize into more pieces). Results using it are marked `estimated`.
 */
export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 128) ascii++;
  return Math.max(1, Math.ceil(ascii / 4 + (text.length - ascii) / 2));
}

/** Estimated prompt tokens for a message list, with the usual ~4 tokens of framing per message. */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const message of messages) total += estimateTokens(message.content) + 4;
  return total;
}
