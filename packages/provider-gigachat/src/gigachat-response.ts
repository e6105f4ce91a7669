import type { FinishReason, ProviderUsage, ToolCall } from '@llmo/core/provider';
import type { GigaChatMessage, GigaChatUsage } from './gigachat-api.js';

export function mapGigaChatFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'function_call':
      return 'tool-calls';
    case 'blacklist':
      return 'content-filter';
    case 'error':
      return 'error';
    case null:
    case undefined:
      return 'unknown';
    default:
      return 'other';
  }
}

export function gigachatUsage(usage: GigaChatUsage | null | undefined): ProviderUsage | undefined {
  if (!usage) return undefined;
  return {
    promptTokens: usage.prompt_tokens ?? undefined,
    completionTokens: usage.completion_tokens ?? undefined,
    // May exclude precached tokens, which are not billed; kept as reported.
    totalTokens: usage.total_tokens ?? undefined,
  };
}

/** The function call as a contract tool call: object arguments to JSON text; `functions_state_id` as its id. */
export function gigachatToolCall(message: GigaChatMessage | null | undefined): ToolCall | undefined {
  const call = message?.function_call;
  if (!call) return undefined;
  return {
    id: message?.functions_state_id ?? 'call_0',
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
  };
}
