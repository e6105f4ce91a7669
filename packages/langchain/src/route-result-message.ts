import { AIMessageChunk } from '@langchain/core/messages';
import type { InvalidToolCall, ToolCall } from '@langchain/core/messages/tool';
import type { RouteResult } from '@llmo/core';
import { toResponseMetadata, toUsageMetadata } from './route-result-metadata.js';

/**
 * The router's whole answer as one message: the final text, tool calls, usage and metadata.
 * A chunk, not an AIMessage: LangChain 1's structured-output parser (and ChatLlmo's output type) expect one.
 */
export function toMessage(result: RouteResult): AIMessageChunk {
  return new AIMessageChunk({
    content: result.text,
    ...toToolCalls(result),
    usage_metadata: toUsageMetadata(result),
    response_metadata: toResponseMetadata(result),
    ...(result.response?.id ? { id: result.response.id } : {}),
  });
}

/** The router's tool calls; one whose arguments are not a JSON object goes to `invalid_tool_calls`, not lost. */
function toToolCalls(result: RouteResult) {
  const tool_calls: ToolCall[] = [];
  const invalid_tool_calls: InvalidToolCall[] = [];
  for (const call of result.toolCalls) {
    const args = parseArguments(call.arguments);
    if (args) tool_calls.push({ type: 'tool_call', id: call.id, name: call.name, args });
    else
      invalid_tool_calls.push({
        type: 'invalid_tool_call',
        id: call.id,
        name: call.name,
        args: call.arguments,
        error: 'the arguments are not a JSON object',
      });
  }
  return { tool_calls, invalid_tool_calls };
}

function parseArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
