import { type ChatMessage, parseToolArguments } from '@llmo/core/provider';
import { callIdToName } from './yandexgpt-response.js';

export type YandexMessage =
  | { role: 'system' | 'user' | 'assistant'; text: string }
  | {
      role: 'assistant';
      toolCallList: { toolCalls: { functionCall: { name: string; arguments: unknown } }[] };
    }
  | {
      role: 'user';
      toolResultList: { toolResults: { functionResult: { name: string; content: string } }[] };
    };

/**
 * Contract messages → native messages: the field is `text`, not `content`; an assistant tool call is a
 * `toolCallList` with object arguments; a tool result is a user `toolResultList`, named after the function.
 */
export function toYandexMessages(messages: readonly ChatMessage[], provider: string): YandexMessage[] {
  const callNames = new Map<string, string>();
  return messages.map((message): YandexMessage => {
    switch (message.role) {
      case 'system':
      case 'user':
        return { role: message.role, text: message.content };
      case 'assistant': {
        if (!message.toolCalls?.length) return { role: 'assistant', text: message.content };
        return {
          role: 'assistant',
          toolCallList: {
            toolCalls: message.toolCalls.map((call) => {
              callNames.set(call.id, call.name);
              return { functionCall: { name: call.name, arguments: parseToolArguments(call, { provider }) } };
            }),
          },
        };
      }
      case 'tool': {
        // The OpenAI-compatible layer uses the function name as the call id; fall back to it the same way.
        const name = message.name ?? callNames.get(message.toolCallId) ?? callIdToName(message.toolCallId);
        return {
          role: 'user',
          toolResultList: { toolResults: [{ functionResult: { name, content: message.content } }] },
        };
      }
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify((unknown as { role?: unknown }).role)}`);
      }
    }
  });
}
