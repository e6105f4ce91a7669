import type { ChatMessage, Prompt, ToolCall } from '@llmo/core';
import { toMessages } from '@llmo/core';

type Part =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: string }
  | { type: 'tool_call_response'; id: string; response: string };

/** A prompt in the GenAI conventions' `gen_ai.input.messages` shape (JSON text), recorded only when opted in. */
export function inputMessagesJson(prompt: Prompt): string {
  return JSON.stringify(toMessages(prompt).map(toGenAiMessage));
}

/** The answer in the `gen_ai.output.messages` shape. */
export function outputMessagesJson(
  text: string,
  toolCalls: readonly ToolCall[],
  finishReason: string,
): string {
  const parts: Part[] = [];
  if (text) parts.push({ type: 'text', content: text });
  for (const call of toolCalls)
    parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
  return JSON.stringify([{ role: 'assistant', parts, finish_reason: finishReason }]);
}

function toGenAiMessage(message: ChatMessage): { role: string; parts: Part[] } {
  switch (message.role) {
    case 'tool':
      return {
        role: 'tool',
        parts: [{ type: 'tool_call_response', id: message.toolCallId, response: message.content }],
      };
    case 'assistant': {
      const parts: Part[] = message.content ? [{ type: 'text', content: message.content }] : [];
      for (const call of message.toolCalls ?? [])
        parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
      return { role: 'assistant', parts };
    }
    default:
      return { role: message.role, parts: [{ type: 'text', content: message.content }] };
  }
}
