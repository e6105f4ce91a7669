import type { ChatMessage, ResponseFormat, RouteOptions, ToolChoice, ToolDefinition } from '@llmo/core';
import type { ChatCompletionRequest } from './openai-schemas.js';

type WireContent = string | { type: 'text'; text: string }[] | null | undefined;

const text = (content: WireContent): string =>
  typeof content === 'string' ? content : (content ?? []).map((p) => p.text).join('');

/** OpenAI chat messages → the contract's messages (`developer` is OpenAI's newer name for `system`). */
export function fromOpenAIMessages(messages: ChatCompletionRequest['messages']): ChatMessage[] {
  return messages.map((m): ChatMessage => {
    switch (m.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: text(m.content) };
      case 'user':
        return { role: 'user', content: text(m.content) };
      case 'assistant': {
        const toolCalls = m.tool_calls?.map((c) => ({
          id: c.id,
          name: c.function.name,
          arguments: c.function.arguments,
        }));
        return toolCalls && toolCalls.length > 0
          ? { role: 'assistant', content: text(m.content), toolCalls }
          : { role: 'assistant', content: text(m.content) };
      }
      default:
        return { role: 'tool', toolCallId: m.tool_call_id, content: text(m.content) };
    }
  });
}

function responseFormat(format: ChatCompletionRequest['response_format']): ResponseFormat | undefined {
  if (!format) return undefined;
  if (format.type === 'text') return { type: 'text' };
  if (format.type === 'json_object') return { type: 'json' };
  const s = format.json_schema;
  return {
    type: 'json-schema',
    schema: s.schema ?? {},
    name: s.name,
    ...(s.description !== undefined ? { description: s.description } : {}),
    ...(s.strict != null ? { strict: s.strict } : {}),
  };
}

function toolChoice(choice: ChatCompletionRequest['tool_choice']): ToolChoice | undefined {
  if (choice === undefined) return undefined;
  return typeof choice === 'string' ? choice : { type: 'tool', name: choice.function.name };
}

/** The generation settings of an OpenAI request as route options (unset fields stay unset). */
export function fromOpenAIRequest(body: ChatCompletionRequest): RouteOptions {
  const options: RouteOptions = {};
  if (body.temperature != null) options.temperature = body.temperature;
  if (body.top_p != null) options.topP = body.top_p;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) options.maxTokens = maxTokens;
  if (body.stop != null) options.stop = typeof body.stop === 'string' ? [body.stop] : body.stop;
  if (body.seed != null) options.seed = body.seed;
  const format = responseFormat(body.response_format);
  if (format) options.responseFormat = format;
  if (body.tools && body.tools.length > 0) {
    options.tools = body.tools.map(
      (t): ToolDefinition => ({
        name: t.function.name,
        ...(t.function.description !== undefined ? { description: t.function.description } : {}),
        parameters: t.function.parameters ?? { type: 'object', properties: {} },
      }),
    );
  }
  const choice = toolChoice(body.tool_choice);
  if (choice !== undefined && options.tools) options.toolChoice = choice;
  return options;
}
