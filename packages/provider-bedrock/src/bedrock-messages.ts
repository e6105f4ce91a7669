import { type ChatMessage, parseToolArguments } from '@llmo/core/provider';

/** The Converse `ContentBlock`s we send (the union has one key per block: pitfall "exactly one key"). */
export type BedrockContentBlock =
  | { text: string }
  | { toolUse: { toolUseId: string; name: string; input: unknown } }
  | { toolResult: { toolUseId: string; content: { text: string }[]; status?: 'success' | 'error' } };

export interface BedrockMessage {
  role: 'user' | 'assistant';
  content: BedrockContentBlock[];
}

export interface BedrockPrompt {
  /** Top-level `system` blocks: Converse has no system role in `messages`. */
  system?: { text: string }[];
  messages: BedrockMessage[];
  /** Whether the history carries toolUse/toolResult blocks (Converse then needs a `toolConfig`). */
  hasToolBlocks: boolean;
}

/**
 * Contract messages → Converse `system` + `messages`:
 * - system messages, wherever they are, become `system` text blocks;
 * - assistant tool calls become `toolUse` blocks (`input` is the parsed arguments, `""` is `{}`); a tool
 *   message becomes a `toolResult` block in a user turn;
 * - adjacent turns of one role are merged (Converse wants user and assistant to alternate), so the results of
 *   one assistant turn's calls go back together in one user turn, before any user text that follows;
 * - empty text is left out (Converse rejects blank text blocks).
 */
export function toBedrockPrompt(messages: readonly ChatMessage[], provider: string): BedrockPrompt {
  const system: { text: string }[] = [];
  const turns: BedrockMessage[] = [];
  let hasToolBlocks = false;
  const push = (role: 'user' | 'assistant', blocks: BedrockContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  const text = (value: string): BedrockContentBlock[] => (value.trim() === '' ? [] : [{ text: value }]);

  for (const message of messages) {
    switch (message.role) {
      case 'system':
        system.push(...(text(message.content) as { text: string }[]));
        break;
      case 'user':
        push('user', text(message.content));
        break;
      case 'assistant': {
        const calls = (message.toolCalls ?? []).map(
          (call): BedrockContentBlock => ({
            toolUse: {
              toolUseId: call.id,
              name: call.name,
              input: parseToolArguments(call, {
                provider,
                message: `the arguments of the assistant's tool call "${call.name}" are not JSON; toolUse.input must be an object`,
              }),
            },
          }),
        );
        if (calls.length > 0) hasToolBlocks = true;
        push('assistant', [...text(message.content), ...calls]);
        break;
      }
      case 'tool':
        hasToolBlocks = true;
        push('user', [
          {
            toolResult: {
              toolUseId: message.toolCallId,
              // A result must have content; an empty one is sent as a blank line would be rejected.
              content: [{ text: message.content === '' ? '(empty)' : message.content }],
            },
          },
        ]);
        break;
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify((unknown as { role?: unknown }).role)}`);
      }
    }
  }
  return { system: system.length ? system : undefined, messages: turns, hasToolBlocks };
}
