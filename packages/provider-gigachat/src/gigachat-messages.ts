import { type CallWarning, type ChatMessage, ProviderError, parseToolArguments } from '@llmo/core/provider';

export type GigaChatWireMessage =
  | { role: 'system' | 'user'; content: string }
  | {
      role: 'assistant';
      content: string;
      function_call?: { name: string; arguments: unknown };
      functions_state_id?: string;
    }
  | { role: 'function'; name: string; content: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Contract messages → GigaChat v1 messages. GigaChat accepts one system message, first (else 422): several
 * or misplaced system messages are merged into one leading message, with a warning. A tool result becomes a
 * `function` message whose content must be JSON text; its `name` comes from the message or the call it
 * answers. One function call per assistant message; the call id round-trips as `functions_state_id`.
 */
export function toGigaChatMessages(
  messages: readonly ChatMessage[],
  provider: string,
): { messages: GigaChatWireMessage[]; warnings: CallWarning[] } {
  const warnings: CallWarning[] = [];
  const systems = messages.filter((m) => m.role === 'system');
  const rest = messages.filter((m) => m.role !== 'system');
  const out: GigaChatWireMessage[] = [];
  if (systems.length > 0) {
    if (systems.length > 1 || messages[0]?.role !== 'system') {
      warnings.push({
        type: 'other',
        message: `GigaChat takes one leading system message; ${systems.length} were merged into one`,
      });
    }
    out.push({ role: 'system', content: systems.map((m) => m.content).join('\n\n') });
  }
  const callNames = new Map<string, string>();
  for (const message of rest) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const call = message.toolCalls?.[0];
        if (!call) {
          out.push({ role: 'assistant', content: message.content });
          break;
        }
        if ((message.toolCalls?.length ?? 0) > 1) {
          warnings.push({
            type: 'other',
            message: 'GigaChat takes one function call per assistant message; extra calls were dropped',
          });
        }
        for (const c of message.toolCalls ?? []) callNames.set(c.id, c.name);
        const args = parseToolArguments(call, { provider });
        out.push({
          role: 'assistant',
          content: message.content,
          function_call: { name: call.name, arguments: args },
          functions_state_id: UUID.test(call.id) ? call.id : undefined,
        });
        break;
      }
      case 'tool': {
        const name = message.name ?? callNames.get(message.toolCallId);
        if (!name) {
          throw new ProviderError({
            kind: 'bad_request',
            provider,
            message: `${provider}: a tool result needs the function name (set name, or keep the assistant message with the call)`,
          });
        }
        out.push({
          role: 'function',
          name,
          content: isJson(message.content) ? message.content : JSON.stringify(message.content),
        });
        break;
      }
    }
  }
  return { messages: out, warnings };
}
