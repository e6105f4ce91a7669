import { type ChatMessage, ProviderError } from '@llmo/core/provider';

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: 'tool_result'; tool_use_id: string; content: string };

export interface AnthropicMessage {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlock[];
}

export interface AnthropicPrompt {
  /** The top-level `system` field: there is no system role in `messages` (pitfall 2). */
  system?: string | { type: 'text'; text: string }[];
  messages: AnthropicMessage[];
}

function toolInput(argumentsText: string, provider: string, name: string): unknown {
  // A call without arguments arrives as "" (pitfall 7); the API wants an object back.
  if (argumentsText.trim() === '') return {};
  try {
    return JSON.parse(argumentsText);
  } catch (cause) {
    throw new ProviderError({
      kind: 'bad_request',
      provider,
      cause,
      message: `${provider}: the arguments of the assistant's tool call "${name}" are not JSON; tool_use.input must be an object`,
    });
  }
}

/**
 * Contract messages → the Messages API's `system` + `messages`:
 * - system messages, wherever they are, become the top-level `system` (one string, or text blocks when
 *   there are several);
 * - a tool message becomes a `tool_result` block in a user turn, and adjacent turns of the same role are
 *   merged, so the results of one assistant turn's tool calls go back together in one user turn, before any
 *   user text that follows (roles must alternate: pitfall 3);
 * - empty text is left out (the API rejects empty text blocks).
 */
export function toAnthropicPrompt(messages: readonly ChatMessage[], provider: string): AnthropicPrompt {
  const system: string[] = [];
  const turns: { role: 'user' | 'assistant'; blocks: AnthropicContentBlock[] }[] = [];
  const push = (role: 'user' | 'assistant', blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.blocks.push(...blocks);
    else turns.push({ role, blocks });
  };
  const textBlock = (text: string): AnthropicContentBlock[] => (text === '' ? [] : [{ type: 'text', text }]);

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        if (message.content !== '') system.push(message.content);
        break;
      case 'user':
        push('user', textBlock(message.content));
        break;
      case 'assistant':
        push('assistant', [
          ...textBlock(message.content),
          ...(message.toolCalls ?? []).map(
            (call): AnthropicContentBlock => ({
              type: 'tool_use',
              id: call.id,
              name: call.name,
              input: toolInput(call.arguments, provider, call.name),
            }),
          ),
        ]);
        break;
      case 'tool':
        push('user', [{ type: 'tool_result', tool_use_id: message.toolCallId, content: message.content }]);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify((unknown as { role?: unknown }).role)}`);
      }
    }
  }

  return {
    system:
      system.length === 0
        ? undefined
        : system.length === 1
          ? system[0]
          : system.map((text) => ({ type: 'text' as const, text })),
    // One text block is sent in the string shorthand, as the docs' examples do.
    messages: turns.map(({ role, blocks }) => ({
      role,
      content: blocks.length === 1 && blocks[0]!.type === 'text' ? blocks[0]!.text : blocks,
    })),
  };
}
