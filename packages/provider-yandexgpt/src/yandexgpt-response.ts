import type { FinishReason, ProviderUsage, ToolCall } from '@llmo/core/provider';
import type { YandexResult } from './yandexgpt-api.js';

export const FINAL_STATUSES = new Set([
  'ALTERNATIVE_STATUS_FINAL',
  'ALTERNATIVE_STATUS_TRUNCATED_FINAL',
  'ALTERNATIVE_STATUS_CONTENT_FILTER',
  'ALTERNATIVE_STATUS_TOOL_CALLS',
]);

export function mapYandexStatus(status: string | undefined): FinishReason {
  switch (status) {
    case 'ALTERNATIVE_STATUS_FINAL':
      return 'stop';
    case 'ALTERNATIVE_STATUS_TRUNCATED_FINAL':
      return 'length';
    case 'ALTERNATIVE_STATUS_CONTENT_FILTER':
      return 'content-filter';
    case 'ALTERNATIVE_STATUS_TOOL_CALLS':
      return 'tool-calls';
    default:
      return 'other';
  }
}

const toNumber = (value: string | number | null | undefined) =>
  value == null || value === '' ? undefined : Number(value);

/** Token counts arrive as strings (int64 in proto3 JSON). */
export function yandexUsage(result: YandexResult): ProviderUsage | undefined {
  const usage = result.usage;
  if (!usage) return undefined;
  return {
    promptTokens: toNumber(usage.inputTextTokens),
    completionTokens: toNumber(usage.completionTokens),
    totalTokens: toNumber(usage.totalTokens),
  };
}

/**
 * Tool calls: object arguments to JSON text. Native calls have no ids; the function name stands in, as in
 * Yandex's OpenAI layer, and a second call of the same function in one response gets `name#2` (then `#3`…),
 * so ids stay unique and each tool result can answer its own call.
 */
export function yandexToolCalls(result: YandexResult): ToolCall[] {
  const calls = result.alternatives[0]?.message.toolCallList?.toolCalls ?? [];
  const seen = new Map<string, number>();
  return calls.map((call) => ({
    id: uniqueCallId(call.functionCall.name, seen),
    name: call.functionCall.name,
    arguments:
      typeof call.functionCall.arguments === 'string'
        ? call.functionCall.arguments
        : JSON.stringify(call.functionCall.arguments ?? {}),
  }));
}

function uniqueCallId(name: string, seen: Map<string, number>): string {
  const n = (seen.get(name) ?? 0) + 1;
  seen.set(name, n);
  return n === 1 ? name : `${name}#${n}`;
}

/** The function name behind a call id made by `yandexToolCalls` (`weather#2` → `weather`). */
export function callIdToName(id: string): string {
  return id.replace(/#\d+$/, '');
}
