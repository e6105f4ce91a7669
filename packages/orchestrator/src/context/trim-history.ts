import type { ChatMessage } from '@llmo/core';
import { messageTokens, type TextTokenizer } from '../tokens/token-counter.js';

export interface TrimmedHistory {
  /** Kept messages, in their original order: every system message, then the newest turns that fit. */
  messages: ChatMessage[];
  /** Messages left out (older turns), in their original order. */
  dropped: ChatMessage[];
  tokens: number;
  estimated: boolean;
}

/**
 * Keeps a conversation under `budget` tokens: system messages always, then whole turns (a user message with
 * the assistant and tool messages after it) from the newest back, stopping at the first turn that does not
 * fit, so the kept history has no gap. A turn is never split, so a tool result never loses its call.
 */
export function trimHistory(
  history: readonly ChatMessage[],
  budget: number,
  tokenizer: TextTokenizer,
): TrimmedHistory {
  // Tool calls' names and arguments count too: a turn's JSON arguments can dwarf its text.
  const size = (m: ChatMessage) => messageTokens(m, (text) => tokenizer.count(text));
  const system = history.filter((m) => m.role === 'system');
  let used = system.reduce((sum, m) => sum + size(m), 0);
  // Group the rest into turns: each user message starts one.
  const turns: ChatMessage[][] = [];
  for (const message of history) {
    if (message.role === 'system') continue;
    const last = turns.at(-1);
    if (message.role === 'user' || !last) turns.push([message]);
    else last.push(message);
  }
  const kept = new Set<ChatMessage>(system);
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] as ChatMessage[];
    const tokens = turn.reduce((sum, m) => sum + size(m), 0);
    if (used + tokens > budget) break;
    used += tokens;
    for (const m of turn) kept.add(m);
  }
  return {
    messages: history.filter((m) => kept.has(m)),
    dropped: history.filter((m) => !kept.has(m)),
    tokens: used,
    estimated: tokenizer.estimated,
  };
}
