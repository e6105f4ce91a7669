import type { BaseMessage } from '@langchain/core/messages';
import type { ChatMessage } from '@llmo/core';
import { LlmoError } from '@llmo/core';

/** The text of a message's content: a string, or the text parts of a content array. */
function textOf(message: BaseMessage, index: number): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  let text = '';
  for (const part of content) {
    if (typeof part === 'string') text += part;
    else if (part.type === 'text' && typeof part.text === 'string') text += part.text;
    else {
      // Providers behind the router take text; dropping an image silently would change the question.
      throw new LlmoError({
        name: 'UnsupportedContentError',
        message: `message ${index} (${message.type}) has a "${String(part.type)}" content part; llmo routes text only — pass text parts or a string`,
      });
    }
  }
  return text;
}

/** LangChain messages → the router's messages. Tool calls and tool results keep their ids. */
export function toLlmoMessages(messages: BaseMessage[]): ChatMessage[] {
  return messages.map((message, index): ChatMessage => {
    const content = textOf(message, index);
    switch (message.type) {
      case 'system':
      case 'developer':
        return { role: 'system', content };
      case 'human':
      case 'generic':
        return { role: 'user', content };
      case 'ai': {
        const toolCalls = (message as { tool_calls?: { id?: string; name: string; args: unknown }[] })
          .tool_calls;
        return toolCalls?.length
          ? {
              role: 'assistant',
              content,
              toolCalls: toolCalls.map((call, i) => ({
                id: call.id ?? `call_${index}_${i}`,
                name: call.name,
                arguments: JSON.stringify(call.args ?? {}),
              })),
            }
          : { role: 'assistant', content };
      }
      case 'tool': {
        const tool = message as BaseMessage & { tool_call_id: string };
        return { role: 'tool', toolCallId: tool.tool_call_id, name: tool.name, content };
      }
      default:
        throw new LlmoError({
          name: 'UnsupportedContentError',
          message: `message ${index} has type "${message.type}"; use system, human, ai or tool messages`,
        });
    }
  });
}
