import type { ChatMessage } from '@llmo/core';

export interface BuildMessagesInput {
  system?: string;
  /** Context blocks, already pruned to the budget; joined under the system message. */
  context?: readonly string[];
  /** Earlier turns. Their system messages join the one system message, after the template's, in order. */
  history?: readonly ChatMessage[];
  user: string;
  /** How the context is introduced; default `Context:`. */
  contextHeading?: string;
}

/**
 * Composes chat messages: one system message (which every provider accepts) made of the template's system
 * text, the history's system messages in order, and the context; then the history's other turns, then the
 * rendered user message. A history system message is never dropped: it is part of the prompt the caller
 * asked for (and of its token count and cache key).
 */
export function buildMessages(input: BuildMessagesInput): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const context =
    input.context && input.context.length > 0
      ? `${input.contextHeading ?? 'Context:'}\n${input.context.join('\n\n')}`
      : undefined;
  const history = input.history ?? [];
  const system = [input.system, ...history.filter((m) => m.role === 'system').map((m) => m.content), context]
    .filter((part): part is string => !!part)
    .join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  for (const message of history) if (message.role !== 'system') messages.push(message);
  messages.push({ role: 'user', content: input.user });
  return messages;
}
