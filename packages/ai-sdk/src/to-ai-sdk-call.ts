import type { ChatRequest } from '@llmo/core';
import type { LanguageModelV3CallOptions, LanguageModelV3Prompt } from './ai-sdk-types.js';

/**
 * An llmo request as AI SDK call options. The V3 shape is used for both versions: every field and prompt part
 * this mapping produces is identical in V2.
 */
export function toAISDKCall(request: ChatRequest): LanguageModelV3CallOptions {
  const call: LanguageModelV3CallOptions = { prompt: toAISDKPrompt(request) };
  if (request.maxTokens !== undefined) call.maxOutputTokens = request.maxTokens;
  if (request.temperature !== undefined) call.temperature = request.temperature;
  if (request.topP !== undefined) call.topP = request.topP;
  if (request.stop !== undefined) call.stopSequences = request.stop;
  if (request.seed !== undefined) call.seed = request.seed;
  const format = request.responseFormat;
  if (format?.type === 'json-schema') {
    call.responseFormat = {
      type: 'json',
      schema: format.schema as NonNullable<
        Extract<LanguageModelV3CallOptions['responseFormat'], { type: 'json' }>['schema']
      >,
      ...(format.name !== undefined ? { name: format.name } : {}),
      ...(format.description !== undefined ? { description: format.description } : {}),
    };
  } else if (format) {
    call.responseFormat = { type: format.type };
  }
  if (request.tools && request.tools.length > 0) {
    call.tools = request.tools.map((tool) => ({
      type: 'function',
      name: tool.name,
      ...(tool.description !== undefined ? { description: tool.description } : {}),
      inputSchema: tool.parameters as never,
    }));
    const choice = request.toolChoice;
    if (choice)
      call.toolChoice =
        typeof choice === 'string' ? { type: choice } : { type: 'tool', toolName: choice.name };
  }
  if (request.signal) call.abortSignal = request.signal;
  if (request.headers) call.headers = request.headers;
  // Both are namespaced by provider (`{ openai: { … } }`): an AI SDK provider reads its own key.
  if (request.providerOptions)
    call.providerOptions = request.providerOptions as LanguageModelV3CallOptions['providerOptions'];
  return call;
}

function toAISDKPrompt(request: ChatRequest): LanguageModelV3Prompt {
  // Tool messages may omit the tool name (the AI SDK needs it): take it from the call they answer.
  const toolNames = new Map<string, string>();
  const prompt: LanguageModelV3Prompt = [];
  for (const message of request.messages) {
    switch (message.role) {
      case 'system':
        prompt.push({ role: 'system', content: message.content });
        break;
      case 'user':
        prompt.push({ role: 'user', content: [{ type: 'text', text: message.content }] });
        break;
      case 'assistant': {
        const content: Extract<LanguageModelV3Prompt[number], { role: 'assistant' }>['content'] = [];
        if (message.content) content.push({ type: 'text', text: message.content });
        for (const call of message.toolCalls ?? []) {
          toolNames.set(call.id, call.name);
          content.push({
            type: 'tool-call',
            toolCallId: call.id,
            toolName: call.name,
            input: parseInput(call.arguments),
          });
        }
        prompt.push({ role: 'assistant', content });
        break;
      }
      case 'tool': {
        const part = {
          type: 'tool-result' as const,
          toolCallId: message.toolCallId,
          toolName: message.name ?? toolNames.get(message.toolCallId) ?? 'unknown',
          output: { type: 'text' as const, value: message.content },
        };
        // Consecutive tool results form one AI SDK tool message, as the AI SDK itself builds them.
        const last = prompt.at(-1);
        if (last?.role === 'tool') last.content.push(part);
        else prompt.push({ role: 'tool', content: [part] });
        break;
      }
    }
  }
  return prompt;
}

/** AI SDK prompts carry tool input parsed; text that is not JSON is passed as it is. */
function parseInput(text: string): unknown {
  try {
    return JSON.parse(text || '{}');
  } catch {
    return text;
  }
}
