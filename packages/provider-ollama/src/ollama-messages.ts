import { type ChatMessage, parseToolArguments } from '@llmo/core/provider';

export type OllamaMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; tool_calls?: { function: { name: string; arguments: unknown } }[] }
  | { role: 'tool'; content: string; tool_name?: string };

/** Contract messages → `/api/chat` messages. Tool-call arguments go back as objects (Ollama's shape). */
export function toOllamaMessages(messages: readonly ChatMessage[], provider: string): OllamaMessage[] {
  return messages.map((message): OllamaMessage => {
    switch (message.role) {
      case 'system':
      case 'user':
        return { role: message.role, content: message.content };
      case 'assistant':
        if (!message.toolCalls?.length) return { role: 'assistant', content: message.content };
        return {
          role: 'assistant',
          content: message.content,
          tool_calls: message.toolCalls.map((call) => {
            const message = `tool call "${call.name}" has arguments that are not JSON`;
            return {
              function: { name: call.name, arguments: parseToolArguments(call, { provider, message }) },
            };
          }),
        };
      case 'tool':
        return { role: 'tool', content: message.content, tool_name: message.name };
      default: {
        const unknown: never = message;
        throw new Error(`Unknown message role: ${JSON.stringify((unknown as { role?: unknown }).role)}`);
      }
    }
  });
}
