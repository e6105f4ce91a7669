import type { ChatMessage } from '@llmo/core';

export interface BuildMessagesInput {
  system?: string;
  /** Context blocks, already pruned to the budget; joined under the system message. */
  context?: readonly string[];
  /** Earlier turns (no system message: the template's system message leads). */
  history?: readonly ChatMessage[];
  user: string;
  /** How the context is introduced; default `Context:`. */
  contextHeading?: string;
}

/**
 * Composes chat messages: the system message with the context appended (one system message, which every
 * provider accepts), then the history, then the rendered user message. Without a system message, the
 * context leads as its own system message.
 */
export function buildMessages(input: BuildMessagesInput): ChatMessage[] {
  const messages: ChatMessage[] = [];
  const context =
    input.context && input.context.length > 0
      ? `${input.contextHeading ?? 'Context:'}\n${input.context.join('\n\n')}`
      : undefined;
  const system = [input.system, context].filter((part): part is string => !!part).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  for (const message of input.history ?? []) if (message.role !== 'system') messages.push(message);
  messages.push({ role: 'user', content: input.user });
  return messages;
}
